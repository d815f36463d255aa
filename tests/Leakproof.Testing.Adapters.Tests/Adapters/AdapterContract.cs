using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using Leakproof.Testing.Adapters.Tests.Support;

namespace Leakproof.Testing.Adapters.Tests.Adapters;

/// <summary>
/// What every adapter promises, checked on a real sample run: the leaking test fails with the report naming its await
/// site, the clean and unguarded tests (running in parallel with it) pass and are not blamed, and the run guard
/// reports the unguarded test's leak. Each sample is started at most twice per derived class.
/// </summary>
public abstract class AdapterContract
{
    /// <summary>The full run of each sample, started once (xUnit creates a class instance per test).</summary>
    private static readonly ConcurrentDictionary<string, Lazy<Task<SampleRun>>> s_fullRuns = new(StringComparer.Ordinal);

    /// <summary>Gets the sample's project name (its folder under tests/Adapters).</summary>
    protected abstract string Project { get; }

    /// <summary>Gets the block title of the run guard's failure, or <see langword="null"/> when it shows no block.</summary>
    protected abstract string? RunFailureMarker { get; }

    /// <summary>Runs only the unguarded test, so only the run guard can fail the run.</summary>
    private protected abstract Task<SampleRun> RunUnguardedOnlyAsync();

    private Task<SampleRun> FullRunAsync() =>
        s_fullRuns.GetOrAdd(Project, static project => new Lazy<Task<SampleRun>>(() => SampleRun.StartAsync(project))).Value;

    private int LeakLine => SampleRun.MarkerLine(Project, "LeakingTests.cs", "LEAK-SITE");

    private int RunLeakLine => SampleRun.MarkerLine(Project, "UnguardedTests.cs", "RUN-LEAK-SITE");

    [Fact]
    public async Task LeakingTest_LeftWorkPending_FailsWithReportNamingAwaitSite()
    {
        SampleRun run = await FullRunAsync();

        var (_, _, details) = run.Single("failed", "Leaks", "LeakGuard leakguard-");
        Assert.Contains("LeakGuard leakguard-", details, StringComparison.Ordinal);
        Assert.Contains($"LeakingTests.WaitForeverAsync (state 0) at ", details, StringComparison.Ordinal);
        Assert.Contains($"LeakingTests.cs:{LeakLine}", details, StringComparison.Ordinal);
        Assert.NotEqual(0, run.ExitCode);
    }

    [Fact]
    public async Task LeakingTest_OtherTestsLeakInParallel_BlamesOnlyItsOwnWork()
    {
        SampleRun run = await FullRunAsync();

        var (_, _, details) = run.Single("failed", "Leaks", "LeakGuard leakguard-");
        int notBlamed = details.IndexOf("Not blamed on this guard", StringComparison.Ordinal);
        string blamed = notBlamed < 0 ? details : details[..notBlamed];
        Assert.Contains("1 leaked operations", blamed, StringComparison.Ordinal);
        Assert.DoesNotContain("UnguardedTests", blamed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CleanTest_RunsBesideLeakingTest_Passes()
    {
        SampleRun run = await FullRunAsync();

        run.Single("passed", "IsClean");
        Assert.DoesNotContain(run.Results, r => r.Outcome == "failed" && r.Name.EndsWith("IsClean", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunGuard_TestLeftWorkPending_ReportsItsAwaitSite()
    {
        SampleRun run = await FullRunAsync();

        run.Single("passed", "LeaksUnguarded"); // The test itself is green: only the run guard sees its leak.
        int report = run.Output.IndexOf("LeakGuard test-run:", StringComparison.Ordinal);
        Assert.True(report >= 0, run.Output);
        Assert.Contains($"UnguardedTests.cs:{RunLeakLine}", run.Output[report..], StringComparison.Ordinal);
        if (RunFailureMarker is not null)
        {
            Assert.Contains(run.Results, r => r.Outcome == "failed" && r.Details.Contains(RunFailureMarker, StringComparison.Ordinal)
                && r.Details.Contains("LeakGuard test-run:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public virtual async Task RunGuard_OnlyUnguardedTestRan_FailsTheRun()
    {
        SampleRun run = await RunUnguardedOnlyAsync();

        run.Single("passed", "LeaksUnguarded");
        Assert.Contains($"UnguardedTests.cs:{RunLeakLine}", run.Output, StringComparison.Ordinal);
        Assert.Equal(2, run.ExitCode); // Microsoft.Testing.Platform: "at least one test failed".
    }
}
