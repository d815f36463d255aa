using System;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Scopes;

/// <summary>User code (cancellation callbacks, continuations) must never run under the scope's lock.</summary>
public sealed class TaskScopeLockTests
{
    private static readonly TimeSpan s_deadlockGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CancellationCallback_WaitsOnAnotherThreadUsingTheScope_DoesNotDeadlock()
    {
        var scope = TaskScope.Create(new TaskScopeOptions { FailureMode = TaskScopeFailureMode.FailFast });
        bool otherThreadGotThrough = false;
        using CancellationTokenRegistration registration = scope.CancellationToken.Register(() =>
        {
            // If the cancelling thread held the scope's lock, this other thread could never take it.
            otherThreadGotThrough = Task.Run(() => scope.ActiveChildCount + scope.GetActiveChildren().Count).Wait(s_deadlockGuard);
        });

        scope.Spawn(_ => throw new Boom("trigger cancellation"));

        await Assert.ThrowsAsync<Boom>(scope.WaitAsync);
        Assert.True(otherThreadGotThrough);
    }

    [Fact]
    public async Task ChildContinuation_SpawnsFromAnotherThreadSynchronously_DoesNotDeadlock()
    {
        var scope = TaskScope.Create();
        var gate = new Gate();
        bool otherThreadGotThrough = false;
        Task<int> child = scope.Spawn(async _ =>
        {
            await gate.Task;
            return 1;
        });
        Task continuation = child.ContinueWith(
            _ => otherThreadGotThrough = Task.Run(() => scope.TrySpawn(_ => ValueTask.CompletedTask)).Wait(s_deadlockGuard),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        gate.Open();
        await continuation;
        await scope.WaitAsync();
        Assert.True(otherThreadGotThrough);
    }
}
