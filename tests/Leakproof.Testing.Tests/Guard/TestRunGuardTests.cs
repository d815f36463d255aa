using System.Threading.Tasks;
using Leakproof.Testing.Tests.Support;

namespace Leakproof.Testing.Tests.Guard;

/// <summary>The assembly-wide check counts everyone's work, so these tests run alone.</summary>
[Collection(nameof(TestRunCollection))]
public sealed class TestRunGuardTests
{
    [Fact]
    public async Task VerifyNoLeaks_WorkLeftPendingByAnyone_ReportsIt()
    {
        var run = LeakGuard.StartTestRun(new LeakGuardOptions { MaxRetries = 0, CheckUnobservedExceptions = false });
        var never = new TaskCompletionSource();
        Task unowned;
        using (System.Threading.ExecutionContext.SuppressFlow())
        {
            unowned = LeakShapes.WaitForSignalAsync(never.Task); // No owner: a per-test guard would not blame it; the run does.
        }

        var reporter = new Recorder();
        LeakReport report = await run.VerifyNoLeaksAsync(reporter);

        Assert.Same(report, reporter.Report);
        Assert.Contains(report.Leaks, l => l.Line == LeakShapes.SignalLine);
        never.SetResult();
        await unowned;
    }

    [Fact]
    public async Task VerifyNoLeaks_NothingNewPending_DoesNotReport()
    {
        var run = LeakGuard.StartTestRun(new LeakGuardOptions { MaxRetries = 0, CheckUnobservedExceptions = false });
        var done = new TaskCompletionSource();
        Task waiting = LeakShapes.WaitForSignalAsync(done.Task);
        done.SetResult();
        await waiting;
        var reporter = new Recorder();

        LeakReport report = await run.VerifyNoLeaksAsync(reporter);

        Assert.Null(reporter.Report);
        Assert.False(report.HasLeaks, report.ToString());
    }

    private sealed class Recorder : ILeakTestReporter
    {
        public LeakReport? Report { get; private set; }

        public void ReportLeaks(LeakReport report) => Report = report;
    }
}
