using System;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Tests.Helpers;

public sealed class TaskScopeHandoffTests
{
    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task HandoffAsync_WorkerSucceeds_CallerGetsTheResult()
    {
        TaskScope scope = TaskScope.Create();
        using var cts = new CancellationTokenSource();
        Assert.Equal(1, await scope.HandoffAsync(async ct => { await Task.Yield(); return 1; }, cts.Token));
        Assert.Equal(2, await scope.HandoffAsync(async ct => { await Task.Yield(); return 2; })); // a caller that cannot give up
        await scope.WaitAsync();
    }

    [Fact]
    public void HandoffAsync_NullWorkOrFinishedScope_Throws()
    {
        TaskScope scope = TaskScope.Create();
        Assert.Throws<ArgumentNullException>("work", () => { _ = scope.HandoffAsync<int>(null!); });
        Assert.True(scope.WaitAsync().IsCompletedSuccessfully);

        using var cts = new CancellationTokenSource();
        Assert.Throws<InvalidOperationException>(() => { _ = scope.HandoffAsync(_ => ValueTask.FromResult(1), cts.Token); });
        Assert.Throws<InvalidOperationException>(() => { _ = scope.HandoffAsync(_ => ValueTask.FromResult(1)); });
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task HandoffAsync_CallerGivesUp_GetsOceAtOnceAndTheScopeStillWaitsForTheCancelledWorker()
    {
        TaskScope scope = TaskScope.Create();
        using var caller = new CancellationTokenSource();
        var cleanupGate = NewGate();
        var counter = new RunningCounter();
        var workerCancelled = NewGate();

        async ValueTask<int> Worker(CancellationToken ct)
        {
            using RunningCounter.Scope running = counter.Enter();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
                return 1;
            }
            catch (OperationCanceledException)
            {
                workerCancelled.SetResult();
                await cleanupGate.Task; // the worker takes its time to stop
                throw;
            }
        }

        Task<int> call = scope.HandoffAsync(Worker, caller.Token);
        await caller.CancelAsync();

        Assert.True(call.IsCanceled, "The caller must get its cancellation at once, not when the worker ends.");
        Assert.Equal(caller.Token, (await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call)).CancellationToken);
        await workerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        Assert.Equal(1, counter.Running);

        Task wait = scope.WaitAsync();
        Assert.False(wait.IsCompleted, "The scope still owns the worker.");
        cleanupGate.SetResult();
        await wait; // the worker's cancellation after its caller gave up is not a failure of the scope
        Assert.Equal(0, counter.Running);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task HandoffAsync_WorkerFailsAfterTheCallerGaveUp_TheScopeReportsTheFailure()
    {
        TaskScope scope = TaskScope.Create();
        using var caller = new CancellationTokenSource();
        var failure = new InvalidOperationException("export failed");
        async ValueTask<int> Worker(CancellationToken ct)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            throw failure;
        }

        Task<int> call = scope.HandoffAsync(Worker, caller.Token);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => scope.WaitAsync()));
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task HandoffAsync_WorkerFailsWhileTheCallerWaits_CallerAndScopeBothSeeTheFailure()
    {
        TaskScope scope = TaskScope.Create(new TaskScopeOptions { FailureMode = TaskScopeFailureMode.Supervise });
        using var caller = new CancellationTokenSource();
        var failure = new FormatException();

        Task<int> call = scope.HandoffAsync<int>(async ct => { await Task.Yield(); throw failure; }, caller.Token);

        Assert.Same(failure, await Assert.ThrowsAsync<FormatException>(() => call));
        Assert.Same(failure, await Assert.ThrowsAsync<FormatException>(() => scope.WaitAsync()));
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task HandoffAsync_ResultProducedAfterTheCallerGaveUp_IsDisposed()
    {
        TaskScope scope = TaskScope.Create();
        using var caller = new CancellationTokenSource();
        var gate = NewGate();
        var result = new TrackedResource();

        Task<TrackedResource> call = scope.HandoffAsync(
            async ct =>
            {
                await gate.Task; // ignores its token
                return result;
            },
            caller.Token);
        await caller.CancelAsync();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await scope.WaitAsync();
        Assert.Equal(1, result.DisposeCount);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task HandoffAsync_CallerGivesUpAfterDelivery_KeepsTheResult()
    {
        TaskScope scope = TaskScope.Create();
        using var caller = new CancellationTokenSource();
        var result = new TrackedResource();

        TrackedResource received = await scope.HandoffAsync(async ct => { await Task.Yield(); return result; }, caller.Token);
        await caller.CancelAsync();
        await scope.WaitAsync();

        Assert.Same(result, received);
        Assert.False(result.IsDisposed);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    [Trait("Category", "Stress")]
    public async Task HandoffAsync_CallerGivesUpWhileTheWorkerCompletes_TheResultIsEitherDeliveredOrDisposed()
    {
        int delivered = 0;
        int abandoned = 0;
        for (int i = 0; i < 1000; i++)
        {
            TaskScope scope = TaskScope.Create();
            using var caller = new CancellationTokenSource();
            var result = new TrackedResource(i);

            // On a busy machine a woken thread waits for a core, so whoever releases the other tends to act first:
            // alternating that role makes both outcomes happen, each with the other side close behind.
            bool workerFirst = i % 2 == 0;
            using var go = new ManualResetEventSlim();
            Task<TrackedResource> call = scope.HandoffAsync(
                ct => new ValueTask<TrackedResource>(Task.Run(() =>
                {
                    Release(go, workerFirst);
                    return result;
                })),
                caller.Token);
            Task giveUp = Task.Run(() =>
            {
                Release(go, !workerFirst);
                caller.Cancel();
            });

            await giveUp;
            await scope.WaitAsync();
            if (call.IsCompletedSuccessfully)
            {
                Assert.Same(result, await call);
                Assert.False(result.IsDisposed, $"iteration {i}: a delivered result must not be disposed");
                delivered++;
            }
            else
            {
                Assert.True(call.IsCanceled, $"iteration {i}: the call either delivers or is cancelled");
                Assert.Equal(1, result.DisposeCount);
                abandoned++;
            }
        }

        Assert.Equal(1000, delivered + abandoned);
        Assert.True(delivered > 0 && abandoned > 0, $"Both sides of the race must be exercised: delivered {delivered}, abandoned {abandoned}.");

        static void Release(ManualResetEventSlim go, bool first)
        {
            if (first)
            {
                go.Set();
            }
            else
            {
                go.Wait(TimeSpan.FromSeconds(10));
            }
        }
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task HandoffAsync_TokenAlreadyCancelled_ReturnsACancelledTaskAndNeverStartsTheWorker()
    {
        TaskScope scope = TaskScope.Create();
        bool started = false;
        Task<int> call = scope.HandoffAsync(_ => { started = true; return ValueTask.FromResult(1); }, new CancellationToken(canceled: true));

        Assert.True(call.IsCanceled);
        await scope.WaitAsync();
        Assert.False(started);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task HandoffAsync_QueuedWorkerWhoseCallerGivesUp_CallerGetsOceAtOnceAndTheWorkerNeverRuns()
    {
        TaskScope scope = TaskScope.Create(new TaskScopeOptions { MaxConcurrency = 1 });
        var slotHolder = NewGate();
        scope.Spawn(async _ => await slotHolder.Task);
        using var caller = new CancellationTokenSource();
        bool started = false;

        Task<int> call = scope.HandoffAsync(_ => { started = true; return ValueTask.FromResult(1); }, caller.Token);
        Assert.Equal(1, scope.QueuedChildCount);
        await caller.CancelAsync();
        Assert.True(call.IsCanceled);

        slotHolder.SetResult();
        await scope.WaitAsync();
        Assert.False(started);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task HandoffAsync_Worker_GetsItsOwnTokenLinkedToTheScopeAndDisposedAfterwards()
    {
        TaskScope scope = TaskScope.Create();
        using var caller = new CancellationTokenSource();
        CancellationToken workerToken = default;

        Task<int> call = scope.HandoffAsync(
            async ct =>
            {
                workerToken = ct;
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
                return 1;
            },
            caller.Token);
        Assert.NotEqual(scope.CancellationToken, workerToken);

        scope.Cancel(); // the scope's cancellation reaches the worker through its linked token
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await scope.WaitAsync();
        Assert.False(caller.IsCancellationRequested);
        Assert.Throws<ObjectDisposedException>(() => workerToken.WaitHandle); // the linked source was disposed
    }

    /// <summary>
    /// OpenTelemetry's <c>ForceFlush</c>: the caller gives up and returns; the export it started runs on with nobody
    /// to receive its result or its failure. With <c>HandoffAsync</c> the export is cancelled and the scope ends it.
    /// </summary>
    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task HandoffAsync_ForceFlushShape_LeavesNoExportRunningWhereWaitAsyncLeavesIt()
    {
        var release = NewGate();

        // The plain BCL version: the caller stops waiting; the export runs on, unowned.
        var bcl = new RunningCounter();
        using (var caller = new CancellationTokenSource())
        {
            Task<int> export = ExportAsync(bcl, release.Task, CancellationToken.None).AsTask();
            Task<int> wait = export.WaitAsync(caller.Token);
            await caller.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
            Assert.Equal(1, bcl.Running); // leaked
            release.SetResult();
            await export;
        }

        // Ours: the caller still gets its cancellation at once, and nothing is left once the scope is left.
        var ours = new RunningCounter();
        await TaskScope.RunAsync(async (scope, _) =>
        {
            using var caller = new CancellationTokenSource();
            Task<int> call = scope.HandoffAsync(ct => ExportAsync(ours, Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct), ct), caller.Token);
            await caller.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        });
        Assert.Equal(0, ours.Running);
    }

    private static async ValueTask<int> ExportAsync(RunningCounter counter, Task exported, CancellationToken cancellationToken)
    {
        using RunningCounter.Scope running = counter.Enter();
        await exported;
        cancellationToken.ThrowIfCancellationRequested();
        return 1;
    }

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
