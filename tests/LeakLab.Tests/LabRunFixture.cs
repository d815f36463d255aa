using System.Collections.Generic;
using System.Threading.Tasks;
using LeakLab.Harness;

namespace LeakLab.Tests;

/// <summary>Runs the whole lab once, fixed variants first, exactly as <c>dotnet run --project samples/LeakLab</c> does.</summary>
public sealed class LabRunFixture : IAsyncLifetime
{
    public IReadOnlyList<VariantResult> Results { get; private set; } = [];

    public async ValueTask InitializeAsync() =>
        Results = await ScenarioRunner.RunAsync(Lab.Scenarios, ["leaky", "fixed"]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
