using System.Threading.Tasks;

namespace Leakproof.Tests.TestSupport;

/// <summary>A one-shot signal tests use instead of sleeps.</summary>
internal sealed class Gate
{
    private readonly TaskCompletionSource _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => _tcs.Task;

    public bool IsOpen => _tcs.Task.IsCompleted;

    public void Open() => _tcs.TrySetResult();
}
