using LeakLab.Harness;

namespace LeakLab.Scenarios.FirstResponse;

/// <summary>Seed 003: a WhenAny race whose losers keep running.</summary>
internal sealed class FirstResponseScenario : IScenario
{
    public string Name => "first-response";

    public string Incident => "queryAll first-response-wins: the slower replicas' queries are never stopped";

    public Task RunLeakyAsync(LeakProbe probe) => new LeakyQueryClient(probe).QueryAllAsync();

    public Task RunFixedAsync(LeakProbe probe) => new FixedQueryClient(probe).QueryAllAsync();
}
