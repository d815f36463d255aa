using LeakLab.Harness;

namespace LeakLab.Scenarios.FireAndForget;

/// <summary>The "202 Accepted" handler of seed 004: each job goes to Task.Run and its result is never received.
/// The poison job's exception goes unobserved; the stuck job waits forever, holding whatever it holds.</summary>
internal sealed class LeakyJobRunner(LeakProbe probe)
{
    public void Submit(Job job) => _ = Task.Run(() => ProcessAsync(job));

    private async Task ProcessAsync(Job job)
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
                await Job.NeverCalledBack.Task; // LEAK-SITE
            }
        }
    }
}
