using System;
using Leakproof.OpenTelemetry.Internal;

namespace OpenTelemetry.Trace;

/// <summary>Adds Leakproof's spans to an OpenTelemetry <see cref="TracerProviderBuilder"/>.</summary>
public static class LeakproofTracerProviderBuilderExtensions
{
    /// <summary>Subscribes the provider to the activity source <c>Leakproof</c>: a span per task scope, per child
    /// (parented to its scope's span) and per background loop tick (see docs/telemetry.md).</summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TracerProviderBuilder AddLeakproofInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(InstrumentationNames.ActivitySourceName);
    }
}
