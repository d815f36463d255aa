namespace Leakproof.OpenTelemetry;

/// <summary>Configures what <c>AddLeakproofInstrumentation</c> adds to a meter provider.</summary>
public sealed class LeakproofInstrumentationOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether to add the census instruments (meter <c>Leakproof.Census</c>):
    /// <c>leakproof.census.operation.pending</c>, a gauge of pending async operations by kind, and
    /// <c>leakproof.census.operation.abandoned</c>, a counter of async methods collected while suspended.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    /// <remarks>
    /// <para>
    /// The instruments read <see cref="Census.AsyncCensus"/>, which the application enables itself
    /// (<see cref="Census.AsyncCensus.Enable(Census.CensusOptions?)"/>; abandoned methods are only found with
    /// <see cref="Census.CensusOptions.TrackAbandoned"/>). While the census is not enabled they report nothing.
    /// </para>
    /// <para>
    /// Cost: each metric collection (each scrape or export) takes one census capture without async stacks or source
    /// lines, shared by both instruments and reused for one second. A capture walks every pending operation of the
    /// process under the census's lock, so its cost grows with the pending work; keep the export interval in
    /// seconds, not milliseconds. Nothing is paid between collections.
    /// </para>
    /// </remarks>
    public bool IncludeCensusMetrics { get; set; }
}
