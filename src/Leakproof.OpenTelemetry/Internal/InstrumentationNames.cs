namespace Leakproof.OpenTelemetry.Internal;

/// <summary>Names of the meters, activity source, instruments and tags (documented in docs/telemetry.md).</summary>
internal static class InstrumentationNames
{
    /// <summary>The meter of the Leakproof library (its own constant is internal to it).</summary>
    public const string MeterName = "Leakproof";

    /// <summary>The activity source of the Leakproof library.</summary>
    public const string ActivitySourceName = "Leakproof";

    /// <summary>The meter of the census instruments, owned by this package.</summary>
    public const string CensusMeterName = "Leakproof.Census";

    /// <summary>The gauge of pending operations.</summary>
    public const string PendingInstrument = "leakproof.census.operation.pending";

    /// <summary>The counter of abandoned async methods.</summary>
    public const string AbandonedInstrument = "leakproof.census.operation.abandoned";

    /// <summary>The tag holding an operation's kind.</summary>
    public const string KindTag = "leakproof.operation.kind";
}
