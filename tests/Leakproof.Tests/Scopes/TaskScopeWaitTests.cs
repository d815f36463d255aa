using System;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Scopes;

public sealed class TaskScopeWaitTests
{
    [Fact]
    public void WaitAsync_NoChildren_CompletesSynchronously()
    {
        var scope = TaskScope.Create();

        Task wait = scope.WaitAsync();

        Assert.True(wait.IsCompletedSuccessfully);
        Assert.True(scope.IsFinished);
    }

    [Fact]
    public async Task WaitAsync_PendingChild_CompletesOnlyAfterChild()
    {
        var gate = new Gate();
        var scope = TaskScope.Create();
        scope.Spawn(async _ => await gate.Task);

        Task wait = scope.WaitAsync();

        Assert.False(wait.IsCompleted);
        Assert.Equal(1, scope.ActiveChildCount);
        gate.Open();
        await wait;
        Assert.Equal(0, scope.ActiveChildCount);
        Assert.True(scope.IsFinished);
    }

    [Fact]
    public async Task WaitAsync_ChildSpawnsGrandchildWhileScopeWaits_WaitsForGrandchild()
    {
        var parentGate = new Gate();
        var grandchildSpawned = new Gate();
        var grandchildGate = new Gate();
        bool grandchildDone = false;
        var scope = TaskScope.Create();
        scope.Spawn(async _ =>
        {
            await parentGate.Task;
            scope.Spawn(async _ =>
            {
                await grandchildGate.Task;
                grandchildDone = true;
            });
            grandchildSpawned.Open();
        });

        Task wait = scope.WaitAsync();
        parentGate.Open();
        await grandchildSpawned.Task;

        Assert.False(wait.IsCompleted);
        grandchildGate.Open();
        await wait;
        Assert.True(grandchildDone);
    }

    [Fact]
    public async Task Spawn_AfterChildrenFinishedButBeforeWait_IsAccepted()
    {
        var scope = TaskScope.Create();
        scope.Spawn(_ => ValueTask.CompletedTask);
        Assert.False(scope.IsFinished);

        scope.Spawn(_ => ValueTask.CompletedTask);

        await scope.WaitAsync();
        Assert.True(scope.IsFinished);
    }

    [Fact]
    public async Task Spawn_AfterScopeFinished_ThrowsInvalidOperationExceptionNamingScope()
    {
        var scope = TaskScope.Create(new TaskScopeOptions { Name = "orders" });
        await scope.WaitAsync();

        var ex = Assert.Throws<InvalidOperationException>(() => scope.Spawn(_ => ValueTask.CompletedTask));
        Assert.Contains("'orders' has finished", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => { _ = scope.Spawn(_ => ValueTask.FromResult(1)); });
        Assert.Throws<InvalidOperationException>(() => scope.TrySpawn(_ => ValueTask.CompletedTask));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await scope.SpawnAsync(_ => ValueTask.CompletedTask));
    }

    [Fact]
    public async Task Spawn_NullDelegate_ThrowsArgumentNullException()
    {
        await using var scope = TaskScope.Create();

        Assert.Throws<ArgumentNullException>("work", () => scope.Spawn(null!));
        Assert.Throws<ArgumentNullException>("work", () => { _ = scope.Spawn<int>(null!); });
        Assert.Throws<ArgumentNullException>("work", () => scope.TrySpawn(null!));
        Assert.Throws<ArgumentNullException>("work", () => scope.TrySpawn<int>(null!, out _));
        await Assert.ThrowsAsync<ArgumentNullException>("work", async () => await scope.SpawnAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>("work", async () => await scope.SpawnAsync<int>(null!));
        await Assert.ThrowsAsync<ArgumentNullException>("body", () => TaskScope.RunAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>("body", () => TaskScope.RunAsync<int>(null!));
    }

    [Fact]
    public async Task DisposeAsync_WithoutWait_WaitsForChildrenAndThrowsOutcome()
    {
        var gate = new Gate();
        var scope = TaskScope.Create();
        scope.Spawn(async _ =>
        {
            await gate.Task;
            throw new Boom("late");
        });

        ValueTask dispose = scope.DisposeAsync();
        Assert.False(dispose.IsCompleted);
        gate.Open();

        var ex = await Assert.ThrowsAsync<Boom>(async () => await dispose);
        Assert.Equal("late", ex.Message);
    }

    [Fact]
    public async Task DisposeAsync_AfterWaitAsyncThrew_DoesNotThrowAgain()
    {
        var scope = TaskScope.Create();
        scope.Spawn(_ => throw new Boom("once"));

        await Assert.ThrowsAsync<Boom>(scope.WaitAsync);
        await scope.DisposeAsync();
    }

    [Fact]
    public async Task AwaitUsing_LeavingBlock_WaitsForEveryChild()
    {
        var gate = new Gate();
        bool done = false;
        Task block = RunBlockAsync();

        Assert.False(block.IsCompleted);
        gate.Open();
        await block;
        Assert.True(done);

        async Task RunBlockAsync()
        {
            await using var scope = TaskScope.Create();
            scope.Spawn(async _ =>
            {
                await gate.Task;
                done = true;
            });
        }
    }

    [Fact]
    public async Task WaitAsync_CalledTwice_BothReportTheSameOutcome()
    {
        var gate = new Gate();
        var scope = TaskScope.Create();
        scope.Spawn(async _ =>
        {
            await gate.Task;
            throw new Boom("shared");
        });

        Task first = scope.WaitAsync();
        Task second = scope.WaitAsync();
        gate.Open();

        Assert.Same(await Assert.ThrowsAsync<Boom>(() => first), await Assert.ThrowsAsync<Boom>(() => second));
    }

    [Fact]
    public async Task CancellationToken_AfterScopeFinished_IsCancelled()
    {
        var scope = TaskScope.Create();
        CancellationToken token = scope.CancellationToken;
        Assert.False(token.IsCancellationRequested);

        await scope.WaitAsync();

        Assert.True(token.IsCancellationRequested);
    }
}
