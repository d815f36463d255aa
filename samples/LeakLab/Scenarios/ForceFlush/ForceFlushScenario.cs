using LeakLab.Harness;

namespace LeakLab.Scenarios.ForceFlush;

/// <summary>Seed 000: a caller abandons a result handoff and the worker runs on, unobserved.</summary>
internal sealed class ForceFlushScenario : IScenario
{
    public string Name => "forceflush";

    public string Incident => "OpenTelemetry ForceFlush: the caller gives up, the export keeps running with nobody to hand its result to";

    public async Task RunLeakyAsync(LeakProbe probe)
    {
        var exporter = new LeakyBatchExporter(probe);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        try
        {
            await exporter.ForceFlushAsync(giveUp.Token);
        }
        catch (OperationCanceledException)
        {
            // The caller's deadline passed: it returns, as ForceFlush's callers do.
        }
    }

    public async Task RunFixedAsync(LeakProbe probe)
    {
        await using var exporter = new FixedBatchExporter(probe);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        try
        {
            await exporter.ForceFlushAsync(giveUp.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
