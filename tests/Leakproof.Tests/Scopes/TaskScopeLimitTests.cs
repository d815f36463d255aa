using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Scopes;

public sealed class TaskScopeLimitTests
{
    [Fact]
    public async Task TrySpawn_Full_ReturnsFalseWithoutRunningDelegate()
    {
        var gate = new Gate();
        await using var scope = TaskScope.Create(new TaskScopeOptions { MaxConcurrency = 1 });
        Assert.True(scope.TrySpawn(async _ => await gate.Task));
        bool ran = false;

        bool started = scope.TrySpawn(_ =>
        {
            ran = true;
            return ValueTask.CompletedTask;
        });

        Assert.False(started);
        Assert.False(ran);
        Assert.False(scope.TrySpawn(_ => ValueTask.FromResult(1), out Task<int>? child));
        Assert.Null(child);
        gate.Open();
        await scope.WaitAsync();
    }

    [Fact]
    public async Task TrySpawn_SlotFree_StartsChildAndReturnsResultTask()
    {
        await using var scope = TaskScope.Create(new TaskScopeOptions { MaxConcurrency = 1 });

        Assert.True(scope.TrySpawn(_ => ValueTask.FromResult(42), out Task<int>? child));

        Assert.Equal(42, await child);
    }

    [Fact]
    public async Task SpawnAsync_Full_WaitsForSlotBeforeRunningDelegate()
    {
        var gate = new Gate();
        var scope = TaskScope.Create(new TaskScopeOptions { MaxConcurrency = 1 });
        await scope.SpawnAsync(async _ => await gate.Task);
        bool ran = false;

        ValueTask second = scope.SpawnAsync(_ =>
        {
            ran = true;
            return ValueTask.CompletedTask;
        });

        Assert.False(second.IsCompleted);
        Assert.False(ran);
        gate.Open();
        await second;
        Assert.True(ran);
        await scope.WaitAsync();
    }

    [Fact]
    public async Task SpawnAsync_TokenCancelledWhileWaiting_ThrowsAndLeavesScopeHealthy()
    {
        var gate = new Gate();
        using var cts = new CancellationTokenSource();
        var scope = TaskScope.Create(new TaskScopeOptions { MaxConcurrency = 1 });
        await scope.SpawnAsync(async _ => await gate.Task);
        bool ran = false;

        ValueTask<Task<int>> waiting = scope.SpawnAsync(
            _ =>
            {
                ran = true;
                return ValueTask.FromResult(1);
            },
            cancellationToken: cts.Token);
        cts.Cancel();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.False(ran);
        Assert.True(scope.TrySpawn(_ => ValueTask.CompletedTask) is false, "the slot is still held by the first child");
        gate.Open();
        await scope.WaitAsync();
        Assert.False(ran);
    }

    [Fact]
    public async Task SpawnAsync_TokenAlreadyCancelled_ThrowsBeforeSpawning()
    {
        await using var scope = TaskScope.Create();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await scope.SpawnAsync(_ => ValueTask.CompletedTask, cancellationToken: cts.Token));

        Assert.Equal(0, scope.ActiveChildCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Spawn_Full_QueuesChildrenAndRunsThemWithinTheLimit(int limit)
    {
        var gates = new List<Gate>();
        var order = new ConcurrentQueue<int>();
        int running = 0;
        int maxRunning = 0;
        var scope = TaskScope.Create(new TaskScopeOptions { MaxConcurrency = limit });
        for (int i = 0; i < 6; i++)
        {
            var gate = new Gate();
            gates.Add(gate);
            int id = i;
            scope.Spawn(async _ =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref maxRunning, now);
                order.Enqueue(id);
                await gate.Task;
                Interlocked.Decrement(ref running);
            });
        }

        Assert.Equal(limit, scope.ActiveChildCount);
        Assert.Equal(6 - limit, scope.QueuedChildCount);
        Task wait = scope.WaitAsync();
        foreach (Gate gate in gates)
        {
            gate.Open();
        }

        await wait;
        Assert.Equal(limit, maxRunning);
        if (limit == 1)
        {
            // One slot means one thread hands it on at a time: queued children start strictly in spawn order.
            // (With more slots, two threads can grant in FIFO order and still begin their children in either order.)
            Assert.Equal([0, 1, 2, 3, 4, 5], order);
        }
        else
        {
            Assert.Equal([0, 1, 2, 3, 4, 5], order.Order());
        }
    }

    [Fact]
    public async Task Spawn_FromChildOfFullScope_QueuesInsteadOfDeadlocking()
    {
        var ran = new Gate();

        await TaskScope.RunAsync(
            (scope, _) =>
            {
                scope.Spawn(_ =>
                {
                    scope.Spawn(_ =>
                    {
                        ran.Open();
                        return ValueTask.CompletedTask;
                    });
                    return ValueTask.CompletedTask;
                });
                return ValueTask.CompletedTask;
            },
            new TaskScopeOptions { MaxConcurrency = 1 });

        Assert.True(ran.IsOpen);
    }

    [Fact]
    public async Task Spawn_QueuedChildFails_PlaceholderFaultsAndScopeReportsIt()
    {
        var gate = new Gate();
        var scope = TaskScope.Create(new TaskScopeOptions { MaxConcurrency = 1, FailureMode = TaskScopeFailureMode.Supervise });
        scope.Spawn(async _ => await gate.Task);
        Task<int> queued = scope.Spawn<int>(_ => throw new Boom("queued"));

        Assert.False(queued.IsCompleted);
        gate.Open();

        Assert.Equal("queued", (await Assert.ThrowsAsync<Boom>(() => queued)).Message);
        Assert.Equal("queued", (await Assert.ThrowsAsync<Boom>(scope.WaitAsync)).Message);
    }

    [Fact]
    public async Task Spawn_QueuedChild_RunsWithTheSpawnersExecutionContext()
    {
        var local = new AsyncLocal<string>();
        var gate = new Gate();
        var scope = TaskScope.Create(new TaskScopeOptions { MaxConcurrency = 1 });
        scope.Spawn(async _ => await gate.Task);
        local.Value = "spawner";

        Task<string?> queued = scope.Spawn(_ => ValueTask.FromResult<string?>(local.Value));
        local.Value = "changed later";
        gate.Open();

        Assert.Equal("spawner", await queued);
        await scope.WaitAsync();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
