using System;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Census.Analysis;
using Leakproof.Census.Sources;
using Leakproof.Testing.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Leakproof.Testing.Tests.Guard;

public sealed class LeakGuardTests
{
    [Fact]
    public async Task FindLeaks_TwoGuardsInParallel_BlamesOnlyTheLeakingOne()
    {
        var leakyStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cleanStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();

        async Task<LeakReport> LeakyTestAsync()
        {
            var guard = LeakGuard.Start(Fast.Options());
            _ = LeakShapes.WaitForSignalAsync(never.Task);
            leakyStarted.SetResult();
            await cleanStarted.Task;
            return await guard.FindLeaksAsync();
        }

        async Task<LeakReport> CleanTestAsync()
        {
            var guard = LeakGuard.Start(Fast.Options());
            var done = new TaskCompletionSource();
            Task waiting = LeakShapes.WaitForSignalAsync(done.Task);
            done.SetResult();
            await waiting;
            cleanStarted.SetResult();
            await leakyStarted.Task; // The leaky test's work is pending while this one judges.
            return await guard.FindLeaksAsync();
        }

        LeakReport[] reports = await Task.WhenAll(Task.Run(LeakyTestAsync), Task.Run(CleanTestAsync));

        LeakedOperation leak = Assert.Single(reports[0].Leaks);
        Assert.Equal(reports[0].GuardId, leak.Operation!.Owner);
        Assert.Equal(LeakShapes.SignalLine, leak.Line);
        Assert.False(reports[1].HasLeaks, reports[1].ToString());
        Assert.DoesNotContain(reports[1].Unowned, o => o.Id == leak.Operation.Id);
        never.SetResult();
    }

    [Fact]
    public async Task FindLeaks_WorkStartedWithFlowSuppressed_ListsItUnownedAndPasses()
    {
        var guard = LeakGuard.Start(Fast.Options());
        var never = new TaskCompletionSource();
        Task unowned;
        using (ExecutionContext.SuppressFlow())
        {
            unowned = Task.Run(() => LeakShapes.WaitForSignalAsync(never.Task));
        }

        await WaitUntilSuspendedAsync(never.Task);

        LeakReport report = await guard.FindLeaksAsync();

        Assert.False(report.HasLeaks, report.ToString());
        Assert.Contains(report.Unowned, o => o.Description.EndsWith("WaitForSignalAsync", StringComparison.Ordinal));
        Assert.Contains("Not blamed on this guard", report.ToString(), StringComparison.Ordinal);
        never.SetResult();
        await unowned;
    }

    [Fact]
    public async Task FindLeaks_NothingPending_JudgesWithoutWaiting()
    {
        var time = new FakeTimeProvider();
        var guard = LeakGuard.Start(new LeakGuardOptions { TimeProvider = time });

        LeakReport report = await guard.FindLeaksAsync(); // Would hang on the fake clock if it waited.

        Assert.Equal(1, report.Attempts);
        Assert.Equal(TimeSpan.Zero, report.SettleTime);
        Assert.False(report.HasLeaks);
    }

    [Fact]
    public async Task FindLeaks_WorkFinishesWhileSettling_IsClean()
    {
        var time = new FakeTimeProvider();
        var guard = LeakGuard.Start(new LeakGuardOptions { TimeProvider = time, InitialRetryDelay = TimeSpan.FromMilliseconds(1) });
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(3), time);
        Task work = LeakShapes.PoliteLoopAsync(time, stop.Token);

        Task<LeakReport> judging = guard.FindLeaksAsync();
        for (int i = 0; i < 100 && !judging.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Yield();
        }

        LeakReport report = await judging;
        Assert.True(report.Attempts > 1);
        Assert.False(report.HasLeaks, report.ToString());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => work);
    }

    [Fact]
    public async Task FindLeaks_WorkNeverFinishes_GivesUpAfterMaxSettleTime()
    {
        var time = new FakeTimeProvider();
        var options = new LeakGuardOptions { TimeProvider = time, MaxSettleTime = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(10) };
        var guard = LeakGuard.Start(options);
        var never = new TaskCompletionSource();
        _ = LeakShapes.WaitForSignalAsync(never.Task);

        Task<LeakReport> judging = guard.FindLeaksAsync();
        for (int i = 0; i < 1000 && !judging.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Yield();
        }

        LeakReport report = await judging;
        Assert.Single(report.Leaks);
        Assert.InRange(report.Attempts, 3, 21);
        Assert.InRange(report.SettleTime, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(60));
        never.SetResult();
    }

    [Theory]
    [InlineData("method")]
    [InlineData("type")]
    [InlineData("namespace")]
    [InlineData("site")]
    public async Task FindLeaks_IgnoreRuleMatches_LeakIsIgnored(string rule)
    {
        var options = Fast.Options();
        _ = rule switch
        {
            "method" => options.IgnoreMethod("Leakproof.Testing.Tests.Support.LeakShapes.WaitForSignalAsync"),
            "type" => options.IgnoreType(typeof(LeakShapes)),
            "namespace" => options.IgnoreNamespace("Leakproof.Testing.Tests.Support"),
            _ => options.IgnoreAwaitSite("LeakShapes.cs", LeakShapes.SignalLine),
        };
        var never = new TaskCompletionSource();
        var control = LeakGuard.Start(Fast.Options());
        _ = LeakShapes.WaitForSignalAsync(never.Task);
        Assert.True((await control.FindLeaksAsync()).HasLeaks); // Without the rule, the same shape is a leak.

        var guard = LeakGuard.Start(options);
        _ = LeakShapes.WaitForSignalAsync(never.Task);

        LeakReport report = await guard.FindLeaksAsync();

        Assert.False(report.HasLeaks, report.ToString());
        never.SetResult();
    }

    [Fact]
    public async Task VerifyNoLeaks_Leak_ThrowsWithHumanReport()
    {
        var guard = LeakGuard.Start(Fast.Options());
        var never = new TaskCompletionSource();
        _ = LeakShapes.WaitForSignalAsync(never.Task);

        LeakDetectedException ex = await Assert.ThrowsAsync<LeakDetectedException>(() => guard.VerifyNoLeaksAsync());

        Assert.Contains($"LeakShapes.cs:{LeakShapes.SignalLine}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 pending @", ex.Message, StringComparison.Ordinal);
        Assert.Same(ex.Report!.Leaks[0], Assert.Single(ex.Report.Leaks));
        never.SetResult();
    }

    [Fact]
    public async Task DisposeAsync_Leak_Throws()
    {
        var never = new TaskCompletionSource();

        await Assert.ThrowsAsync<LeakDetectedException>(async () =>
        {
            await using var guard = LeakGuard.Start(Fast.Options());
            _ = LeakShapes.WaitForSignalAsync(never.Task);
        });

        never.SetResult();
    }

    [Fact]
    public async Task DisposeAsync_Clean_DoesNotThrow()
    {
        await using var guard = LeakGuard.Start(Fast.Options());
        var done = new TaskCompletionSource();
        Task waiting = LeakShapes.WaitForSignalAsync(done.Task);
        done.SetResult();
        await waiting;
    }

    [Fact]
    public async Task VerifyNoLeaks_WithReporter_ReportsInsteadOfThrowing()
    {
        var guard = LeakGuard.Start(Fast.Options());
        var never = new TaskCompletionSource();
        _ = LeakShapes.WaitForSignalAsync(never.Task);
        var reporter = new RecordingReporter();

        LeakReport report = await guard.VerifyNoLeaksAsync(reporter);

        Assert.Same(report, Assert.Single(reporter.Reports));
        never.SetResult();
    }

    [Fact]
    public async Task FindLeaks_RuntimeRegistryMissing_FallsBackWithOneWarningAndStillFindsLeaks()
    {
        using var engine = new CensusEngine(RuntimeFields.Detect(typeof(object)), new CensusOptions());
        var guard = LeakGuard.Start(Fast.Options(), engine);
        var never = new TaskCompletionSource();
        _ = LeakShapes.WaitForSignalAsync(never.Task);
        var clean = LeakGuard.Start(Fast.Options(), engine);

        LeakReport report = await guard.FindLeaksAsync();
        LeakReport cleanReport = await clean.FindLeaksAsync();

        Assert.Single(report.Warnings);
        Assert.Contains(report.Leaks, l => l.Description == "WaitForSignalAsync");
        Assert.Single(cleanReport.Warnings);
        Assert.False(cleanReport.HasLeaks, cleanReport.ToString());
        never.SetResult();
    }

    private static async Task WaitUntilSuspendedAsync(Task signal)
    {
        var inspector = new TaskInspector(RuntimeFields.Current);
        var waiters = new System.Collections.Generic.List<object>();
        for (int i = 0; i < 10_000 && waiters.Count == 0; i++)
        {
            inspector.GetWaiters(signal, waiters);
            await Task.Yield();
        }
    }

    private sealed class RecordingReporter : ILeakTestReporter
    {
        public System.Collections.Generic.List<LeakReport> Reports { get; } = [];

        public void ReportLeaks(LeakReport report) => Reports.Add(report);
    }
}
