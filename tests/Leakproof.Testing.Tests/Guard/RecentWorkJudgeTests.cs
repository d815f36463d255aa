using System;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Testing.Tests.Support;

namespace Leakproof.Testing.Tests.Guard;

/// <summary>
/// The per-test guard's fast path: it judges only the work begun since it started, and must still blame everything
/// the full path blames (pending, abandoned, unobserved) and nothing of another guard's or older work. They run alone:
/// whether the fast path may be taken depends on every task begun since the guard started, so another test's work
/// (a task of its collected by its forced GC) would send a guard down the full path — still the right verdict, but
/// not the path these tests assert.
/// </summary>
[Collection(nameof(TestRunCollection))]
public sealed class RecentWorkJudgeTests
{
    [Fact]
    public async Task FindLeaks_CleanWhileUnrelatedWorkPending_JudgesRecentWorkOnly()
    {
        var never = new TaskCompletionSource();
        Task[] unrelated = StartUnrelated(never.Task, 50);
        LeakReport report;
        int tries = 0;
        do
        {
            // Leftovers of earlier tests in this process (a fault with no known owner, say) divert a guard to the full
            // path now and then: still the right verdict, only slower. The fast path must be taken in a quiet moment.
            var guard = LeakGuard.Start(Fast.Options());
            var done = new TaskCompletionSource();
            Task work = LeakShapes.WaitForSignalAsync(done.Task);
            done.SetResult();
            await work;

            report = await guard.FindLeaksAsync();

            Assert.False(report.HasLeaks, report.ToString());
        }
        while (!report.JudgedRecentWorkOnly && ++tries < 5);

        Assert.True(report.JudgedRecentWorkOnly, "the fast path was not taken in 5 tries");
        Assert.Equal(1, report.Attempts);
        Assert.DoesNotContain(report.Unowned, o => Array.Exists(unrelated, t => t.Id == o.Id)); // Pending before the guard started.
        Assert.Contains(report.Census.Operations, o => o.Id == unrelated[0].Id); // Taken when read: the whole process.
        never.SetResult();
        await Task.WhenAll(unrelated);
    }

    [Fact]
    public async Task FindLeaks_LeakBegunUnderGuardWhileUnrelatedWorkPending_IsBlamed()
    {
        var never = new TaskCompletionSource();
        Task[] unrelated = StartUnrelated(never.Task, 50);
        var guard = LeakGuard.Start(Fast.Options());
        var leaked = new TaskCompletionSource();
        Task leak = LeakShapes.WaitForSignalAsync(leaked.Task);

        LeakReport report = await guard.FindLeaksAsync();

        LeakedOperation found = Assert.Single(report.Leaks);
        Assert.Equal(leak.Id, found.Operation!.Id);
        Assert.Equal(LeakShapes.SignalLine, found.Line);
        Assert.False(report.JudgedRecentWorkOnly);
        leaked.SetResult();
        never.SetResult();
        await Task.WhenAll(unrelated);
    }

    [Fact]
    public async Task FindLeaks_AnotherGuardsPendingWork_IsNeitherBlamedNorListed()
    {
        var never = new TaskCompletionSource();
        (LeakGuard other, Task othersLeak) = StartGuardWithLeak(never.Task); // Its own flow: the owner stays there.
        var guard = LeakGuard.Start(Fast.Options());
        Task mine = Task.Run(() => Task.CompletedTask);
        await mine;

        LeakReport report = await guard.FindLeaksAsync();
        LeakReport othersReport = await other.FindLeaksAsync();

        Assert.False(report.HasLeaks, report.ToString());
        Assert.True(report.JudgedRecentWorkOnly);
        Assert.DoesNotContain(report.Unowned, o => o.Id == othersLeak.Id);
        Assert.Contains(othersReport.Leaks, l => l.Operation?.Id == othersLeak.Id);
        never.SetResult();
        await othersLeak;
    }

    [Fact]
    public async Task FindLeaks_OwnedWorkBegunAfterAnotherGuardStarted_IsBlamedOnlyOnItsGuard()
    {
        var never = new TaskCompletionSource();
        var first = LeakGuard.Start(Fast.Options());
        (LeakGuard second, Task secondsLeak) = StartGuardWithLeak(never.Task); // Begun after the first guard's mark.

        LeakReport firstReport = await first.FindLeaksAsync();
        LeakReport secondReport = await second.FindLeaksAsync();

        Assert.False(firstReport.HasLeaks, firstReport.ToString());
        Assert.DoesNotContain(firstReport.Unowned, o => o.Id == secondsLeak.Id);
        Assert.Contains(secondReport.Leaks, l => l.Operation?.Id == secondsLeak.Id);
        never.SetResult();
        await secondsLeak;
    }

    [Fact]
    public async Task FindLeaks_FaultedPromiseDropped_ReportsUnobservedException()
    {
        var guard = LeakGuard.Start(Fast.Options());
        DropFaultedPromise();

        LeakReport report = await guard.FindLeaksAsync();

        Exception unobserved = Assert.Single(report.UnobservedExceptions);
        Assert.Contains("dropped promise", unobserved.ToString(), StringComparison.Ordinal);
        Assert.False(report.JudgedRecentWorkOnly);
    }

    [Fact]
    public async Task FindLeaks_UnownedWorkBegunWhileGuarding_ListedOnTheFastPath()
    {
        var guard = LeakGuard.Start(Fast.Options());
        var never = new TaskCompletionSource();
        Task unowned;
        using (ExecutionContext.SuppressFlow())
        {
            unowned = Task.Run(() => LeakShapes.WaitForSignalAsync(never.Task));
        }

        LeakReport report = await guard.FindLeaksAsync();

        Assert.False(report.HasLeaks, report.ToString());
        Assert.True(report.JudgedRecentWorkOnly);
        Assert.Contains(report.Unowned, o => o.Id == unowned.Id || o.Description.EndsWith("WaitForSignalAsync", StringComparison.Ordinal));
        never.SetResult();
        await unowned;
    }

    private static Task[] StartUnrelated(Task gate, int count)
    {
        using (ExecutionContext.SuppressFlow()) // No guard's owner, whatever flow runs the test.
        {
            var tasks = new Task[count];
            for (int i = 0; i < count; i++)
            {
                tasks[i] = Task.Run(() => LeakShapes.WaitForSignalAsync(gate));
            }

            return tasks;
        }
    }

    /// <summary>Starts a guard and a leak on a flow of their own, as a parallel test would.</summary>
    private static (LeakGuard Guard, Task Leak) StartGuardWithLeak(Task gate)
    {
        (LeakGuard, Task) Body()
        {
            var guard = LeakGuard.Start(Fast.Options());
            return (guard, LeakShapes.WaitForSignalAsync(gate));
        }

        return Task.Run(Body).GetAwaiter().GetResult();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void DropFaultedPromise()
    {
        var promise = new TaskCompletionSource();
        promise.SetException(new InvalidOperationException("dropped promise failure nobody observed"));
    }
}
