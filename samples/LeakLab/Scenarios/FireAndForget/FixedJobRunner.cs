using LeakLab.Harness;
using Leakproof;

namespace LeakLab.Scenarios.FireAndForget;

/// <summary>The same jobs through a typed worker pool: every job has an owner and a result, failures surface to the
/// submitter, and a job stuck past the batch deadline is cancelled instead of abandoned.</summary>
internal sealed class FixedJobRunner(LeakProbe probe) : IAsyncDisposable
{
    private readonly WorkerPool<Job, bool> _pool = new(
        (job, token) => ProcessAsync(probe, job, token),
        new WorkerPoolOptions { Name = "jobs", WorkerCount = 2, QueueCapacity = 16 });

    public Task RunBatchAsync(IEnumerable<Job> jobs) =>
        TaskScope.RunAsync(
            (scope, _) =>
            {
                foreach (Job job in jobs)
                {
                    scope.Spawn(async token => await _pool.RunAsync(job, token), name: $"job-{job.Id}");
                }

                return ValueTask.CompletedTask;
            },
            new TaskScopeOptions { Name = "job-batch", FailureMode = TaskScopeFailureMode.Supervise, Timeout = TimeSpan.FromMilliseconds(100) });

    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    private static async ValueTask<bool> ProcessAsync(LeakProbe probe, Job job, CancellationToken cancellationToken)
    {
        using (probe.Running())
        {
            await Task.Yield();
            if (job.Poison)
            {
                throw new InvalidOperationException($"job {job.Id} is poison");
            }

            if (job.Stuck)
            {
                await Job.NeverCalledBack.Task.WaitAsync(cancellationToken);
            }

            return true;
        }
    }
}
