using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Leakproof.Tests.Helpers;

public sealed class TaskScopeRaceTests
{
    [Fact]
    public void RaceAsync_NullOrEmptyCompetitors_ThrowsSynchronously()
    {
        Assert.Throws<ArgumentNullException>("competitors", () => { _ = TaskScope.RaceAsync<int>(null!); });
        Assert.Throws<ArgumentException>("competitors", () => { _ = TaskScope.RaceAsync(Array.Empty<Func<CancellationToken, ValueTask<int>>>()); });
        Assert.Throws<ArgumentException>("competitors", () => { _ = TaskScope.RaceAsync([_ => ValueTask.FromResult(1), null!]); });
        Assert.Throws<ArgumentNullException>("sources", () => { _ = TaskScope.RaceAsync<int, int>(null!, static (_, _) => default); });
        Assert.Throws<ArgumentException>("sources", () => { _ = TaskScope.RaceAsync(Array.Empty<int>(), static (_, _) => ValueTask.FromResult(1)); });
        Assert.Throws<ArgumentNullException>("competitor", () => { _ = TaskScope.RaceAsync<int, int>([1], null!); });
    }

    [Fact]
    public void RaceAsync_InvalidOptions_ThrowsSynchronously()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => { _ = TaskScope.RaceAsync([_ => ValueTask.FromResult(1)], new TaskScopeOptions { MaxConcurrency = 0 }); });
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_SourcesOverload_PassesEachInputToItsCompetitor()
    {
        string winner = await TaskScope.RaceAsync(
            ["slow", "fast"],
            static async (source, ct) =>
            {
                if (source == "slow")
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
                }

                await Task.Yield();
                return source;
            });

        Assert.Equal("fast", winner);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_ScopeTimeout_CancelsCompetitorsAndThrowsTimeoutAfterTheyFinished()
    {
        var time = new FakeTimeProvider();
        var counter = new RunningCounter();
        async ValueTask<int> Waits(CancellationToken ct)
        {
            using RunningCounter.Scope running = counter.Enter();
            await Task.Delay(Timeout.InfiniteTimeSpan, time, ct);
            return 1;
        }

        Task<int> race = TaskScope.RaceAsync<int>([Waits, Waits], new TaskScopeOptions { Timeout = TimeSpan.FromSeconds(5), TimeProvider = time });
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(race.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => race);
        Assert.Equal(0, counter.Running);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_MaxConcurrencyOne_RunsAFallbackChainUntilTheFirstSuccess()
    {
        var started = new List<int>();
        Func<CancellationToken, ValueTask<int>> Competitor(int i, bool fails) => async ct =>
        {
            lock (started)
            {
                started.Add(i);
            }

            await Task.Yield();
            return fails ? throw new InvalidOperationException(i.ToString()) : i;
        };

        int result = await TaskScope.RaceAsync(
            [Competitor(0, fails: true), Competitor(1, fails: false), Competitor(2, fails: false)],
            new TaskScopeOptions { MaxConcurrency = 1 });

        Assert.Equal(1, result);
        Assert.Equal([0, 1], started);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_SupervisedOrFailFast_AFailureNeverCancelsTheOthers()
    {
        foreach (TaskScopeFailureMode mode in new[] { TaskScopeFailureMode.FailFast, TaskScopeFailureMode.Supervise })
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<int> race = TaskScope.RaceAsync<int>(
                [async ct => { await Task.Yield(); throw new InvalidOperationException(); }, async ct => { await gate.Task; ct.ThrowIfCancellationRequested(); return 2; }],
                new TaskScopeOptions { FailureMode = mode });
            await Task.Yield();
            gate.SetResult();
            Assert.Equal(2, await race);
        }
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_WhileTracingIsListened_RunsCompetitorsAsScopeChildren()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Leakproof",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        string? spanName = await TaskScope.RaceAsync<string?>([ct => ValueTask.FromResult(Activity.Current?.OperationName)]);

        Assert.Equal("leakproof.child race.competitor", spanName);
    }

    /// <summary>Go's first-response-wins <c>queryAll</c>: with <c>Task.WhenAny</c> the slower replicas keep running.</summary>
    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task RaceAsync_QueryAllShape_LeavesNoReplicaQueryRunningWhereWhenAnyLeavesThem()
    {
        // The plain BCL version: first answer wins, the other queries are left behind.
        var bcl = new Replicas();
        string first = await await Task.WhenAny(bcl.All.Select(r => bcl.QueryAsync(r, CancellationToken.None).AsTask()));
        Assert.Equal("fast", first);
        Assert.Equal(2, bcl.Counter.Running); // leaked: two queries still running after queryAll returned
        bcl.ReleaseAll(); // test hygiene: let the leaked queries end

        // The same shape with RaceAsync: the losers are cancelled and awaited before it returns.
        var ours = new Replicas();
        string winner = await TaskScope.RaceAsync(ours.All, ours.QueryAsync);
        Assert.Equal("fast", winner);
        Assert.Equal(0, ours.Counter.Running);
        Assert.Equal(3, ours.Counter.Started);
    }

    private sealed class Replicas
    {
        private readonly TaskCompletionSource _slow = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string[] All { get; } = ["slow-1", "fast", "slow-2"];

        public RunningCounter Counter { get; } = new();

        public async ValueTask<string> QueryAsync(string replica, CancellationToken cancellationToken)
        {
            using RunningCounter.Scope running = Counter.Enter();
            await Task.Yield();
            if (replica != "fast")
            {
                await _slow.Task.WaitAsync(cancellationToken); // a slow replica that only an answer or cancellation ends
            }

            return replica;
        }

        public void ReleaseAll() => _slow.TrySetResult();
    }
}
