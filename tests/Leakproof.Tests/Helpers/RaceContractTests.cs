using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Tests.Helpers;

/// <summary>
/// The race contract, run against each implementation: first success wins, losers are cancelled, awaited and their
/// results disposed, all failures are reported in order, external cancellation ends in an OCE.
/// </summary>
public abstract class RaceContractTests
{
    protected abstract Task<TResult> RaceAsync<TResult>(
        IReadOnlyList<Func<CancellationToken, ValueTask<TResult>>> competitors, CancellationToken cancellationToken = default);

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_FirstSuccess_ReturnsItAfterLosersFinished()
    {
        var winnerGate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loserExitGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var counter = new RunningCounter();
        int losersCancelled = 0;
        var bothCancelled = NewGate();

        async ValueTask<int> Loser(CancellationToken ct)
        {
            using RunningCounter.Scope running = counter.Enter();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
                return -1;
            }
            catch (OperationCanceledException)
            {
                if (Interlocked.Increment(ref losersCancelled) == 2)
                {
                    bothCancelled.SetResult();
                }

                await loserExitGate.Task; // the loser takes its time to clean up; the race must wait for it
                throw;
            }
        }

        async ValueTask<int> Winner(CancellationToken ct)
        {
            using RunningCounter.Scope running = counter.Enter();
            return await winnerGate.Task;
        }

        Task<int> race = RaceAsync<int>([Loser, Winner, Loser]);
        winnerGate.SetResult(42);
        await Guard(bothCancelled.Task);

        Assert.False(race.IsCompleted, "The race must not return while a loser is still running.");
        loserExitGate.SetResult();
        Assert.Equal(42, await race);
        Assert.Equal(0, counter.Running);
        Assert.Equal(3, counter.Started);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_OneFails_OthersKeepRunningAndOneWins()
    {
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool cancelledEarly = false;

        async ValueTask<string> Fails(CancellationToken ct)
        {
            await Task.Yield();
            throw new InvalidOperationException("fails first");
        }

        async ValueTask<string> Succeeds(CancellationToken ct)
        {
            string result = await gate.Task;
            cancelledEarly = ct.IsCancellationRequested;
            return result;
        }

        Task<string> race = RaceAsync<string>([Fails, Succeeds]);
        await Task.Yield();
        gate.SetResult("second");

        Assert.Equal("second", await race);
        Assert.False(cancelledEarly, "A failing competitor must not cancel the others.");
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_AllFail_ThrowsAggregateInCompetitorOrder()
    {
        var gates = new[] { NewGate(), NewGate(), NewGate() };
        var errors = new[] { new InvalidOperationException("0"), new InvalidOperationException("1"), new InvalidOperationException("2") };
        Func<CancellationToken, ValueTask<int>> Competitor(int i) => async ct =>
        {
            await gates[i].Task;
            throw errors[i];
        };

        Task<int> race = RaceAsync([Competitor(0), Competitor(1), Competitor(2)]);

        // Fail in reverse order: the report still follows the competitors' order.
        gates[2].SetResult();
        gates[1].SetResult();
        gates[0].SetResult();
        var ex = await Assert.ThrowsAsync<AggregateException>(() => race);
        Assert.Equal(errors, ex.InnerExceptions);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_SingleCompetitorFails_ThrowsAggregateOfOne()
    {
        var error = new FormatException("only");
        var ex = await Assert.ThrowsAsync<AggregateException>(() => RaceAsync<int>([async ct => { await Task.Yield(); throw error; }]));
        Assert.Same(error, Assert.Single(ex.InnerExceptions));
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_CompetitorThrowsSynchronously_CountsAsItsFailure()
    {
        var error = new InvalidOperationException("sync");
        Func<CancellationToken, ValueTask<int>> throwsNow = _ => throw error;
        var ex = await Assert.ThrowsAsync<AggregateException>(() => RaceAsync([throwsNow]));
        Assert.Same(error, Assert.Single(ex.InnerExceptions));

        Assert.Equal(7, await RaceAsync([throwsNow, async ct => { await Task.Yield(); return 7; }]));
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_SynchronousWinner_LaterCompetitorsNeverStart()
    {
        int laterStarted = 0;
        int result = await RaceAsync<int>(
        [
            _ => ValueTask.FromResult(1),
            _ => { Interlocked.Increment(ref laterStarted); return ValueTask.FromResult(2); },
        ]);

        Assert.Equal(1, result);
        Assert.Equal(0, laterStarted);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_LoserSucceedsLate_DisposesLoserResultBeforeReturning()
    {
        var loserGate = NewGate();
        var loserCancelled = NewGate();
        var loserResult = new TrackedResource(2);
        var winnerResult = new TrackedResource(1);

        async ValueTask<TrackedResource> Winner(CancellationToken ct)
        {
            await Task.Yield();
            return winnerResult;
        }

        async ValueTask<TrackedResource> IgnoresCancellation(CancellationToken ct)
        {
            using CancellationTokenRegistration registration = ct.Register(() => loserCancelled.SetResult());
            await loserGate.Task; // ignores its token and still produces a result
            return loserResult;
        }

        Task<TrackedResource> race = RaceAsync<TrackedResource>([IgnoresCancellation, Winner]);
        await Guard(loserCancelled.Task); // the winner has won and cancelled the loser
        Assert.False(race.IsCompleted, "The race must wait for the loser that ignores cancellation.");

        loserGate.SetResult();
        Assert.Same(winnerResult, await race);
        Assert.False(winnerResult.IsDisposed);
        Assert.Equal(1, loserResult.DisposeCount);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_LoserFailsAfterWinner_IsNotAnErrorOfTheRace()
    {
        string marker = Guid.NewGuid().ToString();
        var unobserved = new List<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            lock (unobserved)
            {
                unobserved.AddRange(e.Exception.Flatten().InnerExceptions);
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            await RunAsync();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        lock (unobserved)
        {
            Assert.DoesNotContain(unobserved, e => e.Message == marker);
        }

        async Task RunAsync()
        {
            async ValueTask<int> FailsOnCancel(CancellationToken ct)
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
                }
                catch (OperationCanceledException)
                {
                }

                throw new InvalidOperationException(marker);
            }

            Assert.Equal(5, await RaceAsync<int>([FailsOnCancel, async ct => { await Task.Yield(); return 5; }]));
        }
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_ExternalCancellation_ThrowsOceAfterEveryCompetitorFinished()
    {
        using var cts = new CancellationTokenSource();
        var counter = new RunningCounter();

        async ValueTask<int> Waits(CancellationToken ct)
        {
            using RunningCounter.Scope running = counter.Enter();
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
            return 1;
        }

        Task<int> race = RaceAsync<int>([Waits, Waits], cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => race);
        Assert.True(race.IsCanceled);
        Assert.Equal(0, counter.Running);
        Assert.Equal(2, counter.Started);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_ExternalCancellationBeforeLateSuccess_ThrowsOceAndDisposesTheResult()
    {
        using var cts = new CancellationTokenSource();
        var gate = NewGate();
        var result = new TrackedResource();

        async ValueTask<TrackedResource> IgnoresCancellation(CancellationToken ct)
        {
            await gate.Task;
            return result;
        }

        Task<TrackedResource> race = RaceAsync<TrackedResource>([IgnoresCancellation], cts.Token);
        await cts.CancelAsync();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => race);
        Assert.Equal(1, result.DisposeCount);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_TokenAlreadyCancelled_ThrowsOce()
    {
        int succeeded = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RaceAsync<int>(
            [ct => { ct.ThrowIfCancellationRequested(); Interlocked.Increment(ref succeeded); return ValueTask.FromResult(1); }],
            new CancellationToken(canceled: true)));
        Assert.Equal(0, succeeded);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    [Trait("Category", "Stress")]
    public async Task RaceAsync_TwoSucceedAtOnce_ExactlyOneReturnedAndTheOtherDisposed()
    {
        for (int i = 0; i < 500; i++)
        {
            using var start = new Barrier(2);
            var first = new TrackedResource(1);
            var second = new TrackedResource(2);
            ValueTask<TrackedResource> Competitor(TrackedResource r) => new(Task.Run(() =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(10));
                return r;
            }));

            TrackedResource winner = await RaceAsync<TrackedResource>([_ => Competitor(first), _ => Competitor(second)]);

            TrackedResource loser = ReferenceEquals(winner, first) ? second : first;
            Assert.False(winner.IsDisposed, $"iteration {i}: the winner's result must not be disposed");
            Assert.Equal(1, loser.DisposeCount);
        }
    }

    protected static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Awaits a signal that other threads give; the bound only turns a bug into a failure instead of a hang.</summary>
    protected static Task Guard(Task signal) => signal.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
}
