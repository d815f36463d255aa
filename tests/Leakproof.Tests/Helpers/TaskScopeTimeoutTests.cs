using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Leakproof.Tests.Helpers;

public sealed class TaskScopeTimeoutTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(5);

    [Fact]
    public void WithTimeoutAsync_InvalidArguments_ThrowSynchronously()
    {
        Assert.Throws<ArgumentNullException>("work", () => { _ = TaskScope.WithTimeoutAsync(null!, s_deadline); });
        Assert.Throws<ArgumentNullException>("work", () => { _ = TaskScope.WithTimeoutAsync<int>(null!, s_deadline); });
        foreach (TimeSpan invalid in new[] { TimeSpan.Zero, TimeSpan.FromTicks(-1), TimeSpan.FromSeconds(-5) })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>("timeout", () => { _ = TaskScope.WithTimeoutAsync(_ => default, invalid); });
            Assert.Contains("Timeout.InfiniteTimeSpan", ex.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentOutOfRangeException>("timeout", () => { _ = TaskScope.WithTimeoutAsync(_ => ValueTask.FromResult(1), invalid); });
        }
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task WithTimeoutAsync_WorkFinishesInTime_ReturnsItsResult()
    {
        var time = new FakeTimeProvider();
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> call = TaskScope.WithTimeoutAsync(async ct => await gate.Task, s_deadline, time);
        time.Advance(s_deadline - TimeSpan.FromTicks(1));
        gate.SetResult(3);

        Assert.Equal(3, await call);
        bool ran = false;
        await TaskScope.WithTimeoutAsync(ct => { ran = true; return default; }, s_deadline, time);
        Assert.True(ran);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task WithTimeoutAsync_InfiniteTimeout_NeverTimesOut()
    {
        var time = new FakeTimeProvider();
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> call = TaskScope.WithTimeoutAsync(async ct => await gate.Task, Timeout.InfiniteTimeSpan, time);
        time.Advance(TimeSpan.FromDays(365));
        Assert.False(call.IsCompleted);
        gate.SetResult(1);
        Assert.Equal(1, await call);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task WithTimeoutAsync_Deadline_CancelsTheWorkWaitsForItThenThrowsTimeoutNamingTheTimeout()
    {
        var time = new FakeTimeProvider();
        var cleanupGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var counter = new RunningCounter();

        async ValueTask Work(CancellationToken ct)
        {
            using RunningCounter.Scope running = counter.Enter();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult();
                await cleanupGate.Task; // slow cleanup: the timeout must wait for it
                throw;
            }
        }

        Task call = TaskScope.WithTimeoutAsync(Work, s_deadline, time);
        time.Advance(s_deadline);
        await cancelled.Task;
        Assert.False(call.IsCompleted, "The timeout must not be reported while the work still runs.");

        cleanupGate.SetResult();
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Contains(s_deadline.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, counter.Running);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task WithTimeoutAsync_RealFailureAtTheDeadline_WinsOverTheTimeout()
    {
        var time = new FakeTimeProvider();
        var failure = new InvalidOperationException("cleanup failed");
        async ValueTask<int> Work(CancellationToken ct)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            throw failure;
        }

        Task<int> call = TaskScope.WithTimeoutAsync(Work, s_deadline, time);
        time.Advance(s_deadline);

        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => call));
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task WithTimeoutAsync_WorkThrowsItsOwnTimeout_RethrowsThatException()
    {
        var own = new TimeoutException("the work's own");
        Assert.Same(own, await Assert.ThrowsAsync<TimeoutException>(
            () => TaskScope.WithTimeoutAsync(async ct => { await Task.Yield(); throw own; }, s_deadline, new FakeTimeProvider())));
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task WithTimeoutAsync_ExternalCancellation_CancelsTheWorkAndThrowsOce()
    {
        using var cts = new CancellationTokenSource();
        var time = new FakeTimeProvider();
        var counter = new RunningCounter();
        async ValueTask Work(CancellationToken ct)
        {
            using RunningCounter.Scope running = counter.Enter();
            await Task.Delay(Timeout.InfiniteTimeSpan, time, ct);
        }

        Task call = TaskScope.WithTimeoutAsync(Work, s_deadline, time, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(0, counter.Running);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task WithTimeoutAsync_ResultAfterTheDeadline_ThrowsTimeoutAndDisposesTheResult()
    {
        var time = new FakeTimeProvider();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = new TrackedResource();
        async ValueTask<TrackedResource> IgnoresCancellation(CancellationToken ct)
        {
            await gate.Task;
            return result;
        }

        Task<TrackedResource> call = TaskScope.WithTimeoutAsync(IgnoresCancellation, s_deadline, time);
        time.Advance(s_deadline);
        gate.SetResult();

        await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Equal(1, result.DisposeCount);
    }

    /// <summary><c>WaitAsync(timeout)</c> abandons the work at the deadline; <c>WithTimeoutAsync</c> ends it first.</summary>
    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task WithTimeoutAsync_UnlikeWaitAsync_LeavesNoWorkRunningAfterTheTimeout()
    {
        var time = new FakeTimeProvider();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The BCL version: the caller gets its TimeoutException, the work runs on with nobody to observe it.
        var bcl = new RunningCounter();
        Task abandoned = UncooperativeWorkAsync(bcl, release.Task, CancellationToken.None);
        Task wait = abandoned.WaitAsync(s_deadline, time);
        time.Advance(s_deadline);
        await Assert.ThrowsAsync<TimeoutException>(() => wait);
        Assert.Equal(1, bcl.Running); // leaked
        release.SetResult();
        await abandoned;

        // Ours, with work that honours its token: it is cancelled and has ended when the TimeoutException arrives.
        var ours = new RunningCounter();
        Task call = TaskScope.WithTimeoutAsync(ct => new ValueTask(UncooperativeWorkAsync(ours, Task.Delay(Timeout.InfiniteTimeSpan, time, ct), ct)), s_deadline, time);
        time.Advance(s_deadline);
        await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Equal(0, ours.Running);
    }

    private static async Task UncooperativeWorkAsync(RunningCounter counter, Task until, CancellationToken cancellationToken)
    {
        using RunningCounter.Scope running = counter.Enter();
        await until;
        cancellationToken.ThrowIfCancellationRequested();
    }
}
