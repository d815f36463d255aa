using System;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Tests.Helpers;

/// <summary>A result that records whether it was disposed, synchronously or asynchronously.</summary>
public sealed class TrackedResource : IDisposable, IAsyncDisposable
{
    private int _disposeCount;

    public TrackedResource(int id = 0) => Id = id;

    public int Id { get; }

    public int DisposeCount => Volatile.Read(ref _disposeCount);

    public bool IsDisposed => DisposeCount > 0;

    public void Dispose() => Interlocked.Increment(ref _disposeCount);

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _disposeCount);
        return default;
    }
}
