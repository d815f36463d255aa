using System;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Scopes;

[Collection(UnobservedExceptionCollection.Name)]
public sealed class TaskScopeResultTests
{
    [Fact]
    public async Task SpawnOfT_ReturnsChildResult()
    {
        int sum = await TaskScope.RunAsync(async (scope, _) =>
        {
            Task<int> a = scope.Spawn(async _ =>
            {
                await Task.Yield();
                return 40;
            });
            Task<int> b = scope.Spawn(_ => ValueTask.FromResult(2));
            return await a + await b;
        });

        Assert.Equal(42, sum);
    }

    [Fact]
    public async Task SpawnOfT_ChildFails_TaskFaultsWithTheSameExceptionTheScopeReports()
    {
        var scope = TaskScope.Create();
        Task<int> child = scope.Spawn<int>(async _ =>
        {
            await Task.Yield();
            throw new Boom("child");
        });

        var fromChild = await Assert.ThrowsAsync<Boom>(() => child);
        var fromScope = await Assert.ThrowsAsync<Boom>(scope.WaitAsync);
        Assert.Same(fromChild, fromScope);
    }

    [Fact]
    public async Task FailedChildren_NobodyAwaitsTheirTasks_NoUnobservedTaskException()
    {
        using var watcher = new UnobservedExceptionWatcher();

        await RunAndDropAsync();
        watcher.Collect();

        Assert.DoesNotContain(watcher.Exceptions, e => e is Boom);

        static async Task RunAndDropAsync()
        {
            var scope = TaskScope.Create(new TaskScopeOptions { FailureMode = TaskScopeFailureMode.Supervise, MaxConcurrency = 1 });
            _ = scope.Spawn<int>(async _ =>
            {
                await Task.Yield();
                throw new Boom("async");
            });
            _ = scope.Spawn<int>(_ => throw new Boom("sync"));
            scope.Spawn(_ => throw new Boom("queued"));
            await Assert.ThrowsAsync<AggregateException>(scope.WaitAsync);
        }
    }

    [Fact]
    public async Task UnobservedExceptionWatcher_PlainFireAndForget_IsCaught()
    {
        // Proves the watcher used above can fail: the BCL leaves this exception unobserved.
        using var watcher = new UnobservedExceptionWatcher();

        await FireAndForgetAsync();
        watcher.Collect();

        Assert.Contains(watcher.Exceptions, e => e is Boom);

        static async Task FireAndForgetAsync()
        {
            var done = new Gate();
#pragma warning disable LEAK1001 // The unobserved task is the point: the test proves its exception reaches UnobservedTaskException.
            _ = Task.Run(() =>
            {
                done.Open();
                throw new Boom("nobody observes me");
            });
#pragma warning restore LEAK1001
            await done.Task;
            await Task.Yield();
        }
    }
}
