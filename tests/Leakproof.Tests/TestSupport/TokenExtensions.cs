using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Tests.TestSupport;

/// <summary>Awaits a token's cancellation without a timer or a blocked thread.</summary>
internal static class TokenExtensions
{
    /// <summary>Returns a task that completes successfully once the token is cancelled.</summary>
    [SuppressMessage("Leakproof.Leaks", "LEAK1002", Justification = "The registration must live until the token is cancelled, which drops it; test tokens die with their test.")]
    public static Task WhenCancelled(this CancellationToken token)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), tcs);
        return tcs.Task;
    }
}
