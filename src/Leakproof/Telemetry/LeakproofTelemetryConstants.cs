namespace Leakproof.Telemetry;

/// <summary>Names of the meter, activity source, tags and outcome values (documented in docs/telemetry.md).</summary>
internal static class LeakproofTelemetryConstants
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Leakproof";

    /// <summary>The activity source's name.</summary>
    public const string ActivitySourceName = "Leakproof";

    /// <summary>The tag naming the scope.</summary>
    public const string ScopeNameTag = "leakproof.scope.name";

    /// <summary>The tag naming a child.</summary>
    public const string ChildNameTag = "leakproof.child.name";

    /// <summary>The tag holding an outcome.</summary>
    public const string OutcomeTag = "leakproof.outcome";

    /// <summary>The tag naming a worker pool.</summary>
    public const string PoolNameTag = "leakproof.pool.name";

    /// <summary>The tag naming a background loop.</summary>
    public const string LoopNameTag = "leakproof.loop.name";

    /// <summary>The tag holding the number of a background loop tick.</summary>
    public const string LoopTickNumberTag = "leakproof.loop.tick.number";

    /// <summary>The OpenTelemetry tag for the exception type of a failure.</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>The OpenTelemetry code attribute for the source file.</summary>
    public const string CodeFilePathTag = "code.file.path";

    /// <summary>The OpenTelemetry code attribute for the source line.</summary>
    public const string CodeLineNumberTag = "code.line.number";

    /// <summary>The OpenTelemetry code attribute for the function name.</summary>
    public const string CodeFunctionNameTag = "code.function.name";

    /// <summary>The outcome of work that finished normally.</summary>
    public const string Success = "success";

    /// <summary>The outcome of work that failed.</summary>
    public const string Failure = "failure";

    /// <summary>The outcome of work that was cancelled.</summary>
    public const string Canceled = "canceled";

    /// <summary>The name reported for a scope without one.</summary>
    public const string UnnamedScope = "unnamed";
}
