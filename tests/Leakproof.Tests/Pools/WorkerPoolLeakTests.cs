using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Pools;

/// <summary>
/// The typed task processor of shared/seeds/004: fire-and-forget jobs run unbounded, nobody can wait for or stop
/// them, and their errors vanish. The checker counts jobs still in flight after their owner has shut down.
/// </summary>
public sealed class WorkerPoolLeakTests
{
    private const int Jobs = 100;

    [Fact]
    public async Task FireAndForgetTaskRun_AfterOwnerShutsDown_JobsStillRunUnbounded()
    {
        var probe = new InFlightProbe();
        var processor = new FireAndForgetProcessor(probe);

        for (int i = 0; i < Jobs; i++)
        {
            processor.Submit(i);
        }

        await probe.WaitForInFlightAsync(Jobs);
        processor.Shutdown(); // Nothing to cancel, nothing to wait for.

        // Caught: every job is still running after its owner is gone, all at once.
        Assert.Equal(Jobs, probe.InFlight);
        Assert.Equal(Jobs, probe.MaxInFlight);
        probe.Release(); // Test hygiene only: the processor itself has no way to do this.
        await probe.WaitForInFlightAsync(0);
    }

    [Fact]
    public async Task WorkerPool_ProducerOutrunsWorkers_BoundedAndNothingOutlivesDispose()
    {
        var probe = new InFlightProbe();
        string name = nameof(WorkerPool_ProducerOutrunsWorkers_BoundedAndNothingOutlivesDispose);
        using var queueLength = new MeasurementRecorder("leakproof.pool.queue.length");
        var queueFull = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long queued = 0;
        queueLength.OnMeasurement = (delta, tags) =>
        {
            if (Equals(tags["leakproof.pool.name"], name) && Interlocked.Add(ref queued, delta) == 16)
            {
                queueFull.TrySetResult();
            }
        };
        var pool = new WorkerPool<int, int>(
            probe.HandleAsync,
            new WorkerPoolOptions { Name = name, WorkerCount = 4, QueueCapacity = 16 });
        var accepted = new List<Task<int>>();
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < Jobs; i++)
            {
                Task<int> job = await pool.EnqueueAsync(i);
                lock (accepted)
                {
                    accepted.Add(job);
                }
            }
        });

        await probe.WaitForInFlightAsync(4);
        await queueFull.Task.Guard();

        // Back-pressure: the producer is parked on the full queue instead of piling up work.
        Assert.False(producer.IsCompleted);
        Assert.Equal(16, pool.QueueLength);
        Assert.Equal(4, probe.MaxInFlight);
        await pool.DisposeAsync().Guard();

        // Clean: nothing is in flight, every accepted job ended (cancelled), the parked producer was released.
        Assert.Equal(0, probe.InFlight);
        Task<int>[] jobs;
        lock (accepted)
        {
            jobs = accepted.ToArray();
        }

        Assert.All(jobs, job => Assert.True(job.IsCanceled));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => producer.Guard());
        Assert.Equal(4, probe.MaxInFlight);
    }

    /// <summary>The leaky shape: each job is a <c>Task.Run</c> that nobody owns.</summary>
    private sealed class FireAndForgetProcessor(InFlightProbe probe)
    {
        public void Submit(int job) => _ = Task.Run(() => probe.HandleAsync(job, CancellationToken.None).AsTask());

        public void Shutdown()
        {
        }
    }

    private sealed class InFlightProbe
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
        private int _inFlight;
        private int _maxInFlight;

        public int InFlight
        {
            get
            {
                lock (_waiters)
                {
                    return _inFlight;
                }
            }
        }

        public int MaxInFlight
        {
            get
            {
                lock (_waiters)
                {
                    return _maxInFlight;
                }
            }
        }

        public async ValueTask<int> HandleAsync(int job, CancellationToken cancellationToken)
        {
            Change(+1);
            try
            {
                await _release.Task.WaitAsync(cancellationToken);
                return job;
            }
            finally
            {
                Change(-1);
            }
        }

        public void Release() => _release.TrySetResult();

        public Task WaitForInFlightAsync(int count)
        {
            lock (_waiters)
            {
                if (_inFlight == count)
                {
                    return Task.CompletedTask;
                }

                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((count, reached));
                return reached.Task.Guard();
            }
        }

        private void Change(int delta)
        {
            lock (_waiters)
            {
                _inFlight += delta;
                _maxInFlight = Math.Max(_maxInFlight, _inFlight);
                foreach ((int count, TaskCompletionSource reached) in _waiters)
                {
                    if (count == _inFlight)
                    {
                        reached.TrySetResult();
                    }
                }
            }
        }
    }
}
