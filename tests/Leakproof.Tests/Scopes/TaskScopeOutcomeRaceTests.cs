using System;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tests.Helpers;

namespace Leakproof.Tests.Scopes;

/// <summary>
/// Regression: a waiter arriving while the last child finishes the scope must see the outcome. An earlier core set
/// the finished flag under the lock and published the outcome after it, so such a waiter was told "success".
/// </summary>
public sealed class TaskScopeOutcomeRaceTests
{
    /// <summary>With the old core about one run in seven lost the failure; now WaitAsync returns the shared outcome
    /// task, published under the lock together with the completion it waits on.</summary>
    [Fact(Timeout = TestTimeouts.HangGuard)]
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
