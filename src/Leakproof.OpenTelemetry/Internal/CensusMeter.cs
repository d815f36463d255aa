using System.Diagnostics.Metrics;
using System.Reflection;
using System.Threading;

namespace Leakproof.OpenTelemetry.Internal;

/// <summary>
/// Owns the process-wide meter <c>Leakproof.Census</c>, created on first use. One meter for the process, not one per
/// provider: two providers that both include the census would otherwise each see two copies of every instrument.
/// </summary>
internal static class CensusMeter
{
    /// <summary>Guards the creation of <see cref="s_meter"/>.</summary>
    private static readonly Lock s_gate = new();

    /// <summary>The meter, once created; it lives as long as the process, like Leakproof's own meter.</summary>
    private static Meter? s_meter;

    /// <summary>Creates the meter and its instruments unless they exist.</summary>
    public static void EnsureCreated()
    {
        lock (s_gate)
        {
            if (s_meter is not null)
            {
                return;
            }

            string? version = typeof(CensusMeter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            var meter = new Meter(InstrumentationNames.CensusMeterName, version);
            var observer = new CensusObserver(CensusObserver.ReadLiveCensus, System.TimeProvider.System);
            meter.CreateObservableGauge(
                InstrumentationNames.PendingInstrument,
                observer.ObservePending,
                "{operation}",
                "Async operations pending now, by kind, as counted by the Leakproof census.");
            meter.CreateObservableCounter(
                InstrumentationNames.AbandonedInstrument,
                observer.ObserveAbandoned,
                "{operation}",
                "Async methods the Leakproof census found garbage-collected while suspended.");
            s_meter = meter;
        }
    }
}
