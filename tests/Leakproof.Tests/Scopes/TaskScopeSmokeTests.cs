using System;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Tests.Scopes;

public sealed class TaskScopeSmokeTests
{
    [Fact]
    public async Task RunAsync_FailFast_CancelsSiblingAndRethrowsRootCause()
    {
        bool siblingCancelled = false;
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TaskScope.RunAsync(async (scope, ct) =>
        {
            scope.Spawn(async token =>
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, token);
                }
                catch (OperationCanceledException)
                {
                    siblingCancelled = true;
                    throw;
                }
            });
            scope.Spawn(async token => { await Task.Yield(); throw new InvalidOperationException("boom"); });
            await Task.CompletedTask;
        }));
        Assert.Equal("boom", ex.Message);
        Assert.True(siblingCancelled);
    }
}
