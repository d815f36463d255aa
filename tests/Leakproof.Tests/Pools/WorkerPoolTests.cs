using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Pools;

public sealed class WorkerPoolTests
{
    [Fact]
    public async Task RunAsync_EachJob_GetsItsOwnResult()
    {
        await using var pool = new WorkerPool<int, string>((n, _) => new ValueTask<string>($"#{n}"), Options(workers: 3));

        string[] results = await Task.WhenAll(Enumerable.Range(0, 50).Select(n => pool.RunAsync(n))).Guard();

        Assert.Equal(Enumerable.Range(0, 50).Select(n => $"#{n}"), results);
    }

    [Fact]
    public async Task RunAsync_OneJobFails_OnlyThatTaskFailsAndPoolGoesOn()
    {
        var boom = new InvalidOperationException("job 2");
        await using var pool = new WorkerPool<int, int>(
            async (n, _) =>
            {
                await Task.Yield();
                return n == 2 ? throw boom : n * 10;
            },
            Options(workers: 1));

        Task<int> first = pool.RunAsync(1);
        Task<int> failing = pool.RunAsync(2);
        Task<int> third = pool.RunAsync(3);

        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => failing.Guard()));
        Assert.Equal(10, await first.Guard());
        Assert.Equal(30, await third.Guard());
        Assert.Equal(40, await pool.RunAsync(4).Guard());
    }

    [Fact]
    public async Task RunAsync_HandlerThrowsSynchronously_FailsOnlyThatJob()
    {
        await using var pool = new WorkerPool<int, int>((n, _) => n < 0 ? throw new ArgumentOutOfRangeException(nameof(n)) : new(n), Options(workers: 1));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => pool.RunAsync(-1).Guard());
        Assert.Equal(5, await pool.RunAsync(5).Guard());
    }

    [Fact]
    public async Task RunAsync_ManyJobs_NeverRunMoreThanWorkerCountAtOnce()
    {
        var gates = new Gates();
        await using var pool = new WorkerPool<int, int>(gates.Handler, Options(workers: 3, capacity: 100));

        Task<int>[] jobs = Enumerable.Range(1, 10).Select(n => pool.RunAsync(n)).ToArray();
        await gates.WaitForStartsAsync(3);

        Assert.Equal(3, gates.Running);
        Assert.Equal(7, pool.QueueLength);
        gates.ReleaseAll();
        await Task.WhenAll(jobs).Guard();
        Assert.Equal(3, gates.MaxRunning);
    }

    [Fact]
    public async Task Ctor_NoJobYet_StartsNoWorker()
    {
        await using var pool = new WorkerPool<int, int>((n, _) => new(n), Options(workers: 4));

        Assert.Equal(0, pool.ActiveWorkerCount);
        Assert.Equal(1, await pool.RunAsync(1).Guard());
        Assert.Equal(4, pool.ActiveWorkerCount);
    }

    [Fact]
    public async Task RunAsync_WaitMode_QueueFull_JobWaitsForRoom()
    {
        var gates = new Gates();
        await using var pool = new WorkerPool<int, int>(gates.Handler, Options(workers: 1, capacity: 1));
        Task<int> running = pool.RunAsync(1);
        await gates.WaitForStartsAsync(1);
        Task<int> queued = pool.RunAsync(2);

        ValueTask<Task<int>> admission = pool.EnqueueAsync(3);

        Assert.False(admission.IsCompleted);
        Assert.Equal(1, pool.QueueLength);
        gates.Release(1);
        Task<int> third = await admission.Guard(); // Admitted as soon as job 2 left the queue for the worker.
        Assert.Equal(1, pool.QueueLength);
        gates.ReleaseAll();
        Assert.Equal(new[] { 1, 2, 3 }, await Task.WhenAll(running, queued, third).Guard());
    }

    [Fact]
    public async Task RunAsync_RejectMode_QueueFull_ThrowsWorkerPoolFullExceptionAndCountsRejection()
    {
        using var recorder = new MeasurementRecorder("leakproof.pool.job.rejected");
        var gates = new Gates();
        WorkerPoolOptions options = Options(workers: 1, capacity: 1);
        options.FullMode = WorkerPoolFullMode.Reject;
        await using var pool = new WorkerPool<int, int>(gates.Handler, options);
        Task<int> running = pool.RunAsync(1);
        await gates.WaitForStartsAsync(1);
        Task<int> queued = pool.RunAsync(2);

        var ex = Assert.Throws<WorkerPoolFullException>(() => { _ = pool.RunAsync(3); });
        await Assert.ThrowsAsync<WorkerPoolFullException>(async () => await pool.EnqueueAsync(4));

        Assert.Equal(pool.Name, ex.PoolName);
        Assert.Contains(pool.Name, ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, recorder.Where("leakproof.pool.name", pool.Name).Sum(m => m.Value));
        gates.ReleaseAll();
        Assert.Equal(new[] { 1, 2 }, await Task.WhenAll(running, queued).Guard());
        Assert.Equal(3, await pool.RunAsync(3).Guard()); // Room again.
    }

    [Theory]
    [InlineData(WorkerPoolFullMode.Wait)]
    [InlineData(WorkerPoolFullMode.Reject)]
    public async Task TryRun_QueueFull_ReturnsFalseWithoutWaiting(WorkerPoolFullMode mode)
    {
        var gates = new Gates();
        WorkerPoolOptions options = Options(workers: 1, capacity: 1);
        options.FullMode = mode;
        await using var pool = new WorkerPool<int, int>(gates.Handler, options);

        Assert.True(pool.TryRun(1, out Task<int>? first));
        await gates.WaitForStartsAsync(1);
        Assert.True(pool.TryRun(2, out Task<int>? second));
        Assert.False(pool.TryRun(3, out Task<int>? third));

        Assert.Null(third);
        gates.ReleaseAll();
        Assert.Equal(new[] { 1, 2 }, await Task.WhenAll(first, second).Guard());
    }

    [Fact]
    public async Task Metrics_QueueLength_RisesAndFallsBackToZero()
    {
        using var recorder = new MeasurementRecorder("leakproof.pool.queue.length");
        var gates = new Gates();
        var pool = new WorkerPool<int, int>(gates.Handler, Options(workers: 1, capacity: 2));
        Task<int> running = pool.RunAsync(1);
        await gates.WaitForStartsAsync(1);
        using var cts = new CancellationTokenSource();
        Task<int> queued = pool.RunAsync(2);
        Task<int> cancelled = pool.RunAsync(3, cts.Token);
        Task<int> waiting = pool.RunAsync(4);

        Assert.Equal(2, recorder.Where("leakproof.pool.name", pool.Name).Sum(m => m.Value));
        cts.Cancel(); // Job 4 moves into the freed place: still two queued.
        Assert.Equal(2, recorder.Where("leakproof.pool.name", pool.Name).Sum(m => m.Value));
        gates.ReleaseAll();
        await Task.WhenAll(running, queued, waiting).Guard();
        await pool.DisposeAsync().Guard();

        Assert.Equal(0, recorder.Where("leakproof.pool.name", pool.Name).Sum(m => m.Value));
    }

    [Fact]
    public async Task Telemetry_ListenerCallsBackIntoPool_DoesNotDeadlock()
    {
        // A listener that needs the pool's lock from another thread would deadlock if measurements were
        // reported while the pool holds its lock (the lock is not re-entrant across threads).
        using var recorder = new MeasurementRecorder("leakproof.pool.queue.length");
        var gates = new Gates();
        await using var pool = new WorkerPool<int, int>(gates.Handler, Options(workers: 1, capacity: 4));
        bool allReturned = true;
        recorder.OnMeasurement = (_, tags) =>
        {
            if (Equals(tags["leakproof.pool.name"], pool.Name))
            {
                allReturned &= Task.Run(() => pool.QueueLength).Wait(TimeSpan.FromSeconds(10));
            }
        };
        Task<int> running = pool.RunAsync(1);
        await gates.WaitForStartsAsync(1);

        using var cts = new CancellationTokenSource();
        Task<int> queued = pool.RunAsync(2);
        Task<int> cancelled = pool.RunAsync(3, cts.Token);
        cts.Cancel();
        gates.ReleaseAll();
        await Task.WhenAll(running, queued).Guard();

        Assert.True(allReturned);
    }

    [Fact]
    public async Task DebuggerDisplay_ShowsNameQueueAndState()
    {
        var gates = new Gates();
        await using var pool = new WorkerPool<int, int>(gates.Handler, Options(workers: 1, capacity: 3));
        Task<int> running = pool.RunAsync(1);
        await gates.WaitForStartsAsync(1);
        Task<int> queued = pool.RunAsync(2);

        string display = DebuggerDisplayReader.Read(pool);

        Assert.Contains(pool.Name, display, StringComparison.Ordinal);
        Assert.Contains("1/3 queued", display, StringComparison.Ordinal);
        gates.ReleaseAll();
        await Task.WhenAll(running, queued).Guard();
    }

    [Fact]
    public async Task RunAsync_SubmitterAsyncLocal_DoesNotFlowIntoJobs()
    {
        var local = new AsyncLocal<string>();
        await using var pool = new WorkerPool<int, string?>((_, _) => new(local.Value), Options(workers: 1));

        local.Value = "first submitter";
        Task<string?> first = pool.RunAsync(1);
        local.Value = "second submitter";
        Task<string?> second = pool.RunAsync(2);

        Assert.Null(await first.Guard());
        Assert.Null(await second.Guard());
    }

    internal static WorkerPoolOptions Options(int workers, int capacity = 16, [System.Runtime.CompilerServices.CallerMemberName] string name = "") =>
        new() { Name = name, WorkerCount = workers, QueueCapacity = capacity };
}
