using LeakLab.Harness;

namespace LeakLab.Scenarios.StaticTicker;

/// <summary>Seed 001: a loop started from a static constructor that no owner can stop.</summary>
internal sealed class StaticTickerScenario : IScenario
{
    public string Name => "static-ticker";

    public string Incident => "go-ethereum meter: using the metrics type starts a ticker loop nobody can stop";

    public Task RunLeakyAsync(LeakProbe probe)
    {
        LeakyMeterRegistry.Mark("requests");
        probe.Observe(() => LeakyMeterRegistry.LoopsRunning);
        return Task.CompletedTask;
    }

    public async Task RunFixedAsync(LeakProbe probe)
    {
        await using var registry = new FixedMeterRegistry(probe);
        registry.Mark("requests");
    }
}
