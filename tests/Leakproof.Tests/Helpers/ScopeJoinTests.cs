using System;
using System.Threading.Tasks;
using Leakproof.Helpers.Internal;

namespace Leakproof.Tests.Helpers;

public sealed class ScopeJoinTests
{
    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task WaitAsync_ScopeWithAFailedChild_ThrowsTheFailure()
    {
        TaskScope scope = TaskScope.Create();
        var failure = new InvalidOperationException();
        scope.Spawn(async _ => { await Task.Yield(); throw failure; });
        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => ScopeJoin.WaitAsync(scope)));
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task WaitAsync_WaitsForEveryChild()
    {
        TaskScope scope = TaskScope.Create();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        scope.Spawn(async _ => await gate.Task);
        Task wait = ScopeJoin.WaitAsync(scope);
        Assert.False(wait.IsCompleted);
        gate.SetResult();
        await wait;
        Assert.True(scope.IsFinished);
    }
}
