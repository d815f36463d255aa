using LeakLab.Harness;

namespace LeakLab.Scenarios.FireAndForget;

/// <summary>Seed 004: fire-and-forget tasks whose results are never received and whose exceptions vanish.</summary>
internal sealed class FireAndForgetScenario : IScenario
{
    public string Name => "fire-and-forget";

    public string Incident => "async task results never received: a stuck job leaks, a poison job's exception goes unobserved";

    public Task RunLeakyAsync(LeakProbe probe)
    {
        var runner = new LeakyJobRunner(probe);
        foreach (Job job in Job.Batch)
        {
            runner.Submit(job);
        }

        return Task.CompletedTask; // 202 Accepted
    }

    public async Task RunFixedAsync(LeakProbe probe)
    {
        await using var runner = new FixedJobRunner(probe);
        try
        {
            await runner.RunBatchAsync(Job.Batch);
        }
        catch (InvalidOperationException)
        {
            // The poison job's failure reaches the submitter, who logs it; the stuck job was cancelled.
        }
    }
}
