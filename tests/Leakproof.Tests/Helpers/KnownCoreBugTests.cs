using System;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Tests.Helpers;

/// <summary>
/// Core bugs found while building the helpers; each test fails until the core is fixed (see the helpers' workaround
/// in <c>ScopeJoin</c>). Excluded from the default run with <c>--filter-not-trait "Category=KnownCoreBug"</c>.
/// </summary>
public sealed class KnownCoreBugTests
{
    /// <summary>
    /// <c>TaskScope.OnChildCompleted</c> sets <c>_finished</c> under the lock, then <c>Finish()</c> publishes
    /// <c>_outcome</c> later, outside it. <c>WaitCoreAsync</c> skips waiting when it sees <c>_finished</c> and reads
    /// <c>_outcome</c> at once, so a waiter that arrives in between is told the scope succeeded although a child failed.
    /// Reproduced here with a second waiter (about one run in seven loses the failure); a single waiter can hit the
    /// same gap between its two locked sections when its thread is delayed there (seen once, on a cold process).
    /// </summary>
    [Fact(Timeout = TestTimeouts.HangGuard)]
    [Trait("Category", "KnownCoreBug")]
    [Trait("Category", "Stress")]
    public async Task WaitAsync_CalledWhileTheLastChildFinishesTheScope_NeverReportsSuccessForAFailedScope()
    {
        int lostFailures = 0;
        for (int i = 0; i < 2000; i++)
        {
            var gate = new TaskCompletionSource();
            TaskScope scope = TaskScope.Create();
            scope.Spawn(async _ =>
            {
                await gate.Task;
                throw new InvalidOperationException("child failed");
            });
            Task first = scope.WaitAsync();

            // The child fails on another thread, which then runs Finish(); meanwhile a second waiter arrives as soon
            // as the scope says it has finished.
            _ = Task.Run(gate.SetResult);
            while (!scope.IsFinished)
            {
                Thread.SpinWait(1);
            }

            try
            {
                await scope.WaitAsync();
                lostFailures++;
            }
            catch (InvalidOperationException)
            {
            }

            await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        }

        Assert.Equal(0, lostFailures);
    }
}
