using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Scopes;

[Collection(UnobservedExceptionCollection.Name)]
[Trait("Category", "Stress")]
public sealed class TaskScopeStressTests
{
    private const int Scopes = 1_000;
    private const int ChildrenPerScope = 100;

    [Fact]
    public async Task ManyScopes_RandomFailuresCancellationsAndNestedSpawns_NoChildOutlivesItsScopeAndNoErrorIsLost()
    {
        using var watcher = new UnobservedExceptionWatcher();
        int[] seeds = Enumerable.Range(0, Scopes).Select(i => unchecked((i * 7919) + 17)).ToArray();
        int totalChildren = 0;

        await Parallel.ForEachAsync(
            seeds,
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (seed, _) => Interlocked.Add(ref totalChildren, await RunOneScopeAsync(seed)));
        watcher.Collect();

        Assert.InRange(totalChildren, Scopes * ChildrenPerScope, int.MaxValue);
        Assert.DoesNotContain(watcher.Exceptions, e => e is Boom); // other suites' garbage may be finalized here too
    }

    private static async Task<int> RunOneScopeAsync(int seed)
    {
        var rng = new Random(seed);
        var mode = rng.Next(2) == 0 ? TaskScopeFailureMode.FailFast : TaskScopeFailureMode.Supervise;
        int? limit = rng.Next(3) == 0 ? rng.Next(1, 8) : null;
        int ending = rng.Next(6); // 0: external cancellation, 1: Cancel(), otherwise nothing
        bool willCancel = ending <= 1 && limit is null; // with a limit, children parked until the end would starve SpawnAsync
        using var external = new CancellationTokenSource();
        var scope = TaskScope.Create(new TaskScopeOptions { FailureMode = mode, MaxConcurrency = limit }, external.Token);
        var thrown = new ConcurrentQueue<Exception>();
        int running = 0;
        int spawned = 0;
        int ranAfterEnd = 0;

        for (int i = 0; i < ChildrenPerScope; i++)
        {
            int childSeed = rng.Next();
            switch (i % 3)
            {
                case 0:
                    Spawn(0, childSeed);
                    break;
                case 1:
                    if (!scope.TrySpawn(ct => ChildAsync(0, childSeed, ct)))
                    {
                        Spawn(0, childSeed);
                    }
                    else
                    {
                        Interlocked.Increment(ref spawned);
                    }

                    break;
                default:
                    Interlocked.Increment(ref spawned);
                    await scope.SpawnAsync(ct => ChildAsync(0, childSeed, ct));
                    break;
            }
        }

        if (ending == 0)
        {
            external.Cancel();
        }
        else if (ending == 1)
        {
            scope.Cancel();
        }

        Exception? outcome = null;
        try
        {
            await scope.WaitAsync();
        }
        catch (Exception ex)
        {
            outcome = ex;
        }

        Assert.True(scope.IsFinished);
        Assert.Equal(0, Volatile.Read(ref running));
        Assert.Equal(0, Volatile.Read(ref ranAfterEnd));
        IEnumerable<Exception> reported = outcome switch
        {
            null => [],
            AggregateException agg => agg.InnerExceptions,
            _ => [outcome],
        };
        Assert.Equal(
            thrown.OrderBy(e => e.Message, StringComparer.Ordinal),
            reported.Where(e => e is not OperationCanceledException).OrderBy(e => e.Message, StringComparer.Ordinal));
        if (thrown.IsEmpty)
        {
            if (ending == 0)
            {
                Assert.IsAssignableFrom<OperationCanceledException>(outcome);
            }
            else
            {
                Assert.Null(outcome);
            }
        }

        return Volatile.Read(ref spawned);

        void Spawn(int depth, int childSeed)
        {
            Interlocked.Increment(ref spawned);
            scope.Spawn(ct => ChildAsync(depth, childSeed, ct));
        }

        async ValueTask ChildAsync(int depth, int childSeed, CancellationToken ct)
        {
            Interlocked.Increment(ref running);
            try
            {
                var r = new Random(childSeed);
                int action = r.Next(100);
                if (action >= 50)
                {
                    await Task.Yield();
                }

                if (depth < 2 && action % 10 == 0)
                {
                    Spawn(depth + 1, r.Next());
                }

                if (action < 3)
                {
                    var failure = new Boom($"{seed}/{childSeed}");
                    thrown.Enqueue(failure);
                    throw failure;
                }

                if (action < 6)
                {
                    ct.ThrowIfCancellationRequested();
                }
                else if (action < 9 && willCancel)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
                }
            }
            finally
            {
                if (scope.IsFinished)
                {
                    Interlocked.Increment(ref ranAfterEnd);
                }

                Interlocked.Decrement(ref running);
            }
        }
    }
}
