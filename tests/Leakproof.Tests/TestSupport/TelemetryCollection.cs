namespace Leakproof.Tests.TestSupport;

/// <summary>Telemetry tests listen process-wide; they filter by a unique scope name and run apart from each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry listeners";
}
