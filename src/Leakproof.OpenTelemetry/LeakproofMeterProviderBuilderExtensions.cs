using System;
using Leakproof.OpenTelemetry;
using Leakproof.OpenTelemetry.Internal;

namespace OpenTelemetry.Metrics;

/// <summary>Adds Leakproof's metrics to an OpenTelemetry <see cref="MeterProviderBuilder"/>.</summary>
public static class LeakproofMeterProviderBuilderExtensions
{
    /// <summary>Subscribes the provider to the meter <c>Leakproof</c>: task scope children, worker pool queues and
    /// rejections, background loop ticks (see docs/telemetry.md).</summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MeterProviderBuilder AddLeakproofInstrumentation(this MeterProviderBuilder builder) =>
        AddLeakproofInstrumentation(builder, configure: null);

    /// <summary>Subscribes the provider to the meter <c>Leakproof</c>, and to the census meter
    /// <c>Leakproof.Census</c> when <see cref="LeakproofInstrumentationOptions.IncludeCensusMetrics"/> is set.</summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <param name="configure">Configures the options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MeterProviderBuilder AddLeakproofInstrumentation(
        this MeterProviderBuilder builder,
        Action<LeakproofInstrumentationOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new LeakproofInstrumentationOptions();
        configure?.Invoke(options);
        builder.AddMeter(InstrumentationNames.MeterName);
        if (options.IncludeCensusMetrics)
        {
            CensusMeter.EnsureCreated();
            builder.AddMeter(InstrumentationNames.CensusMeterName);
        }

        return builder;
    }
}
