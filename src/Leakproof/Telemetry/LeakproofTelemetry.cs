using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Leakproof.Telemetry;

/// <summary>The meter, activity source and instruments every Leakproof component reports through.</summary>
internal static class LeakproofTelemetry
{
    /// <summary>The version reported with the meter and the activity source.</summary>
    private static readonly string? s_version =
        typeof(LeakproofTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    /// <summary>Gets the meter named <c>Leakproof</c>.</summary>
    public static Meter Meter { get; } = new(LeakproofTelemetryConstants.MeterName, s_version);

    /// <summary>Gets the activity source named <c>Leakproof</c>.</summary>
    public static ActivitySource ActivitySource { get; } = new(LeakproofTelemetryConstants.ActivitySourceName, s_version);

    /// <summary>Gets the counter of children started.</summary>
    public static Counter<long> ChildrenStarted { get; } = Meter.CreateCounter<long>(
        "leakproof.scope.child.started", "{child}", "Children started in task scopes.");

    /// <summary>Gets the counter of children completed, tagged by outcome.</summary>
    public static Counter<long> ChildrenCompleted { get; } = Meter.CreateCounter<long>(
        "leakproof.scope.child.completed", "{child}", "Children of task scopes that finished, by outcome.");

    /// <summary>Gets the number of children running now.</summary>
    public static UpDownCounter<long> ChildrenActive { get; } = Meter.CreateUpDownCounter<long>(
        "leakproof.scope.child.active", "{child}", "Children of task scopes that are running now.");

    /// <summary>Gets the histogram of child durations.</summary>
    public static Histogram<double> ChildDuration { get; } = Meter.CreateHistogram<double>(
        "leakproof.scope.child.duration",
        "s",
        "How long children of task scopes ran.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    /// <summary>Gets the number of jobs waiting in worker pool queues.</summary>
    public static UpDownCounter<long> PoolQueueLength { get; } = Meter.CreateUpDownCounter<long>(
        "leakproof.pool.queue.length", "{job}", "Jobs waiting in worker pool queues.");

    /// <summary>Gets the counter of jobs a full worker pool refused.</summary>
    public static Counter<long> PoolRejected { get; } = Meter.CreateCounter<long>(
        "leakproof.pool.job.rejected", "{job}", "Jobs refused because a worker pool's queue was full.");

    /// <summary>Gets the counter of background loop ticks, tagged by outcome.</summary>
    public static Counter<long> LoopTicks { get; } = Meter.CreateCounter<long>(
        "leakproof.loop.tick.completed", "{tick}", "Background loop ticks that finished, by outcome.");

    /// <summary>Creates the tag that names a scope.</summary>
    /// <param name="scopeName">The scope's name.</param>
    /// <returns>The tag.</returns>
    public static KeyValuePair<string, object?> ScopeTag(string scopeName) => new(LeakproofTelemetryConstants.ScopeNameTag, scopeName);
}
