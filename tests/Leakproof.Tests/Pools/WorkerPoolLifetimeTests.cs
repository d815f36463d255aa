using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Pools;

public sealed class WorkerPoolLifetimeTests
{
    [Fact]
    public async Task DisposeAsync_CancelsQueuedAndRunningJobs_AndWaitsForWorkers()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int started = 0;
        int ended = 0;
        var pool = new WorkerPool<int, int>(
            async (n, ct) =>
            {
                Interlocked.Increment(ref started);
                entered.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
                    return n;
                }
                finally
                {
                    Interlocked.Increment(ref ended);
                }
            },
            WorkerPoolTests.Options(workers: 1, capacity: 2));
        Task<int> running = pool.RunAsync(1);
        await entered.Task.Guard();
        Task<int> queued1 = pool.RunAsync(2);
        Task<int> queued2 = pool.RunAsync(3);
        ValueTask<Task<int>> waiting = pool.EnqueueAsync(4);

        await pool.DisposeAsync().Guard();

        Assert.True(running.IsCanceled);
        Assert.True(queued1.IsCanceled);
        Assert.True(queued2.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Guard());
        Assert.Equal(1, Volatile.Read(ref started));
        Assert.Equal(1, Volatile.Read(ref ended)); // The running job ended before DisposeAsync returned.
        Assert.Equal(0, pool.QueueLength);
        Assert.Equal(0, pool.ActiveWorkerCount);
        Assert.Throws<ObjectDisposedException>(() => { _ = pool.RunAsync(5); });
        Assert.Throws<ObjectDisposedException>(() => pool.TryRun(5, out _));
    }

    [Fact]
    public async Task DisposeAsync_RunningJobIgnoresCancellation_WaitsForIt()
    {
        var gates = new Gates();
        var pool = new WorkerPool<int, int>(gates.Handler, WorkerPoolTests.Options(workers: 1));
        Task<int> running = pool.RunAsync(1);
        await gates.WaitForStartsAsync(1);

        Task dispose = pool.DisposeAsync().AsTask();

        Assert.False(dispose.IsCompleted);
        gates.ReleaseAll();
        await dispose.Guard();
        Assert.Equal(1, await running.Guard()); // It ignored its token and finished: its result is kept.
    }

    [Fact]
    public async Task CompleteAsync_DrainsQueuedAndWaitingJobs_ThenRefusesNewOnes()
    {
        var gates = new Gates();
        await using var pool = new WorkerPool<int, int>(gates.Handler, WorkerPoolTests.Options(workers: 1, capacity: 1));
        Task<int> running = pool.RunAsync(1);
        await gates.WaitForStartsAsync(1);
        Task<int> queued = pool.RunAsync(2);
        Task<int> waiting = pool.RunAsync(3);

        Task complete = pool.CompleteAsync();

        var ex = Assert.Throws<InvalidOperationException>(() => { _ = pool.RunAsync(4); });
        Assert.Contains("CompleteAsync", ex.Message, StringComparison.Ordinal);
        Assert.False(complete.IsCompleted);
        gates.ReleaseAll();
        await complete.Guard();
        Assert.Equal(new[] { 1, 2, 3 }, await Task.WhenAll(running, queued, waiting).Guard());
        Assert.Equal(0, pool.ActiveWorkerCount);
    }

    [Fact]
    public async Task CompleteAsync_NoJobEver_CompletesAndStartsNothing()
    {
        var pool = new WorkerPool<int, int>((n, _) => new(n), WorkerPoolTests.Options(workers: 2));

        await pool.CompleteAsync().Guard();

        Assert.Equal(0, pool.ActiveWorkerCount);
        Assert.Throws<InvalidOperationException>(() => { _ = pool.RunAsync(1); });
        await pool.DisposeAsync().Guard();
    }

    [Fact]
    public async Task RunAsync_TokenCancelledWhileQueued_RemovesJobWithoutRunningIt()
    {
        var gates = new Gates();
        await using var pool = new WorkerPool<int, int>(gates.Handler, WorkerPoolTests.Options(workers: 1, capacity: 2));
        Task<int> running = pool.RunAsync(1);
        await gates.WaitForStartsAsync(1);
        using var cts = new CancellationTokenSource();
        Task<int> cancelled = pool.RunAsync(2, cts.Token);
        Task<int> kept = pool.RunAsync(3);

        cts.Cancel();

        var oce = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Guard());
        Assert.Equal(cts.Token, oce.CancellationToken);
        Assert.Equal(1, pool.QueueLength);
        gates.ReleaseAll();
        Assert.Equal(new[] { 1, 3 }, await Task.WhenAll(running, kept).Guard());
        Assert.DoesNotContain(2, gates.Started);
    }

    [Fact]
    public async Task EnqueueAsync_TokenCancelledWhileWaitingForRoom_ThrowsAndJobNeverRuns()
    {
        var gates = new Gates();
        await using var pool = new WorkerPool<int, int>(gates.Handler, WorkerPoolTests.Options(workers: 1, capacity: 1));
        Task<int> running = pool.RunAsync(1);
        await gates.WaitForStartsAsync(1);
        Task<int> queued = pool.RunAsync(2);
        using var cts = new CancellationTokenSource();
        ValueTask<Task<int>> waiting = pool.EnqueueAsync(3, cts.Token);
        Task<int> waitingRun = pool.RunAsync(4, cts.Token);

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Guard());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waitingRun.Guard());
        gates.ReleaseAll();
        Assert.Equal(new[] { 1, 2 }, await Task.WhenAll(running, queued).Guard());
        Assert.Equal(5, await pool.RunAsync(5).Guard());
        Assert.Equal([1, 2, 5], gates.Started.Order());
    }

    [Fact]
    public async Task RunAsync_TokenCancelledWhileRunning_CancelsHandlerToken()
    {
        var entered = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pool = new WorkerPool<int, int>(
            async (n, ct) =>
            {
                entered.TrySetResult(ct);
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
                return n;
            },
            WorkerPoolTests.Options(workers: 1));
        using var cts = new CancellationTokenSource();
        Task<int> job = pool.RunAsync(1, cts.Token);
        CancellationToken handlerToken = await entered.Task.Guard();

        cts.Cancel();

        Assert.True(handlerToken.IsCancellationRequested);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.Guard());
        Assert.True(job.IsCanceled);
    }

    [Fact]
    public async Task RunAsync_TokenAlreadyCancelled_ReturnsCancelledTaskWithoutRunning()
    {
        int calls = 0;
        await using var pool = new WorkerPool<int, int>((n, _) => { Interlocked.Increment(ref calls); return new(n); }, WorkerPoolTests.Options(workers: 1));

        Task<int> job = pool.RunAsync(1, new CancellationToken(canceled: true));

        Assert.True(job.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pool.EnqueueAsync(1, new CancellationToken(canceled: true)));
        Assert.Equal(0, Volatile.Read(ref calls));
    }
}
