using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Pools;

[Trait("Category", "Stress")]
public sealed class WorkerPoolStressTests
{
    [Theory]
    [InlineData(WorkerPoolFullMode.Wait)]
    [InlineData(WorkerPoolFullMode.Reject)]
    public async Task RunAsync_ConcurrentProducersWithRandomCancellation_EveryJobEndsExactlyOnceAndQueueDrains(WorkerPoolFullMode mode)
    {
        const int Producers = 4;
        const int JobsPerProducer = 500;
        int handled = 0;
        await using var pool = new WorkerPool<int, int>(
            async (n, ct) =>
            {
                Interlocked.Increment(ref handled);
                if (n % 7 == 0)
                {
                    await Task.Yield();
                }

                return n % 101 == 0 ? throw new InvalidOperationException("unlucky") : n;
            },
            new WorkerPoolOptions { Name = $"stress-{mode}", WorkerCount = 3, QueueCapacity = 8, FullMode = mode });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            var random = new Random(p);
            var results = new List<(int Job, Task<int>? Task, bool Rejected)>();
            for (int i = 0; i < JobsPerProducer; i++)
            {
                int job = (p * JobsPerProducer) + i;
                using var cts = new CancellationTokenSource();
                try
                {
                    Task<int> task = pool.RunAsync(job, cts.Token);
                    if (random.Next(4) == 0)
                    {
                        cts.Cancel();
                    }

                    results.Add((job, task, false));
                    await task.ContinueWith(_ => { }, TaskScheduler.Default);
                }
                catch (WorkerPoolFullException)
                {
                    results.Add((job, null, true));
                }
            }

            return results;
        }))).Guard();

        await pool.CompleteAsync().Guard();
        var all = outcomes.SelectMany(r => r).ToList();
        Assert.Equal(Producers * JobsPerProducer, all.Count);
        int ran = 0;
        foreach ((int job, Task<int>? task, bool rejected) in all.Where(o => !o.Rejected))
        {
            Assert.True(task!.IsCompleted);
            if (task.IsCompletedSuccessfully)
            {
                Assert.Equal(job, await task);
                ran++;
            }
            else if (task.IsFaulted)
            {
                Assert.IsType<InvalidOperationException>(task.Exception!.InnerException); // observes it, too
                Assert.Equal(0, job % 101);
                ran++;
            }
        }

        Assert.True(ran <= Volatile.Read(ref handled));
        Assert.Equal(0, pool.QueueLength);
    }

    [Fact]
    public async Task EnqueueAsync_ProducersRaceDispose_NoTaskIsLeftPending()
    {
        for (int round = 0; round < 50; round++)
        {
            var pool = new WorkerPool<int, int>(
                async (n, ct) =>
                {
                    await Task.Yield();
                    return n;
                },
                new WorkerPoolOptions { Name = "stress-dispose", WorkerCount = 2, QueueCapacity = 2 });
            var tasks = new List<Task<int>>();
            Task producers = Task.WhenAll(Enumerable.Range(0, 3).Select(p => Task.Run(async () =>
            {
                for (int i = 0; i < 50; i++)
                {
                    try
                    {
                        Task<int> task = await pool.EnqueueAsync(i);
                        lock (tasks)
                        {
                            tasks.Add(task);
                        }
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
                    {
                        return;
                    }
                }
            })));

            await pool.DisposeAsync().Guard();
            await producers.Guard();
            lock (tasks)
            {
                Assert.All(tasks, t => Assert.True(t.IsCompleted));
            }
        }
    }
}
