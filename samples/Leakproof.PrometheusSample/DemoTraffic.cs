using System;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.PrometheusSample;

/// <summary>Work for every Leakproof instrument: scopes with children, a race, a worker pool that fills up, a
/// failing loop tick now and then, and an async method abandoned on purpose for the census.</summary>
internal sealed class DemoTraffic : IAsyncDisposable
{
    private static readonly TimeSpan s_work = TimeSpan.FromMilliseconds(20);

    private readonly WorkerPool<int, int> _pool = new(
        async (job, ct) =>
        {
            await Task.Delay(s_work, TimeProvider.System, ct);
            return job * 2;
        },
        new WorkerPoolOptions { Name = "resize", WorkerCount = 1, QueueCapacity = 2, FullMode = WorkerPoolFullMode.Reject });

    private long _ticks;

    /// <summary>An async method suspended forever, held for a few ticks so a census capture (a scrape) sees it pending,
    /// then dropped: the census reports it abandoned once the GC collects it.</summary>
    private Task? _doomed;

    public async ValueTask TickAsync(CancellationToken cancellationToken)
    {
        long tick = Interlocked.Increment(ref _ticks);

        // A scope with three children; in Supervise mode one failure does not cancel the others.
        try
        {
            await TaskScope.RunAsync(
                (scope, ct) =>
                {
                    scope.Spawn(c => new ValueTask(Task.Delay(s_work, TimeProvider.System, c)), name: "load");
                    scope.Spawn(c => new ValueTask(Task.Delay(s_work, TimeProvider.System, c)), name: "price");
                    scope.Spawn(c => tick % 3 == 0 ? throw new InvalidOperationException("stock service down") : default, name: "stock");
                    return default;
                },
                new TaskScopeOptions { Name = "orders", FailureMode = TaskScopeFailureMode.Supervise },
                cancellationToken);
        }
        catch (AggregateException)
        {
            // The failed child is counted with outcome "failure"; the demo goes on.
        }
        catch (InvalidOperationException)
        {
        }

        // A race: the fast replica wins, the slow one is cancelled (outcome "canceled").
        await TaskScope.RaceAsync<int>(
            [
                async ct =>
                {
                    await Task.Delay(s_work, TimeProvider.System, ct);
                    return 1;
                },
                async ct =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), TimeProvider.System, ct);
                    return 2;
                },
            ],
            new TaskScopeOptions { Name = "replicas" },
            cancellationToken);

        // Five jobs at a pool with one worker and room for two: some queue, the rest are rejected.
        for (int i = 0; i < 5; i++)
        {
            _ = _pool.TryRun(i, out _);
        }

        if (tick % 4 == 0)
        {
            _doomed = WaitForeverAsync(new TaskCompletionSource());
            GC.Collect(); // Collects the previous one now, so the census reports it within seconds.
            throw new TimeoutException("every fourth tick fails, to show leakproof.loop.tick.completed{outcome=failure}");
        }
    }

    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    private static async Task WaitForeverAsync(TaskCompletionSource never)
    {
        // Once _doomed moves on, nobody keeps `never` or this task: both become garbage while suspended here.
        await never.Task;
    }
}
