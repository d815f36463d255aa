using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Leakproof.OpenTelemetry.Tests.Support;
using Leakproof.Tests.TestSupport;
using OpenTelemetry.Metrics;

namespace Leakproof.OpenTelemetry.Tests.Metrics;

// Meters are process-wide and tests run in parallel: each test names its scope, pool or loop uniquely and looks
// only at points with that name.
public sealed class MeterProviderInstrumentationTests
{
    [Fact]
    public void AddLeakproofInstrumentation_NullBuilder_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>("builder", () => LeakproofMeterProviderBuilderExtensions.AddLeakproofInstrumentation(null!));
        Assert.Throws<ArgumentNullException>("builder", () => LeakproofMeterProviderBuilderExtensions.AddLeakproofInstrumentation(null!, o => { }));
    }

    [Fact]
    public async Task AddLeakproofInstrumentation_ScopeChildren_ExportsStartedCompletedActiveAndDuration()
    {
        using var metrics = new ExportedMetrics(b => b.AddLeakproofInstrumentation());
        string name = Unique("scope");

        await Assert.ThrowsAnyAsync<Exception>(() => TaskScope.RunAsync(
            (scope, ct) =>
            {
                scope.Spawn(_ => default, name: "ok");
                scope.Spawn(_ => throw new InvalidOperationException("boom"), name: "fails");
                return default;
            },
            new TaskScopeOptions { Name = name, FailureMode = TaskScopeFailureMode.Supervise }).Guard());

        IReadOnlyList<MetricSnapshot> exported = metrics.Collect();
        Assert.Equal(2, ExportedMetrics.Points(exported, "leakproof.scope.child.started", "leakproof.scope.name", name).Single().GetSumLong());
        IReadOnlyList<MetricPoint> completed = ExportedMetrics.Points(exported, "leakproof.scope.child.completed", "leakproof.scope.name", name);
        Assert.Equal(1, completed.Single(p => (string?)ExportedMetrics.Tag(p, "leakproof.outcome") == "success").GetSumLong());
        Assert.Equal(1, completed.Single(p => (string?)ExportedMetrics.Tag(p, "leakproof.outcome") == "failure").GetSumLong());
        Assert.Equal(0, ExportedMetrics.Points(exported, "leakproof.scope.child.active", "leakproof.scope.name", name).Single().GetSumLong());
        IReadOnlyList<MetricPoint> durations = ExportedMetrics.Points(exported, "leakproof.scope.child.duration", "leakproof.scope.name", name);
        Assert.Equal(2, durations.Sum(p => p.GetHistogramCount()));

        // The instrument's bucket advice is in seconds, so no view is needed to get useful buckets.
        var bounds = new List<double>();
        foreach (HistogramBucket bucket in durations[0].GetHistogramBuckets())
        {
            bounds.Add(bucket.ExplicitBound);
        }

        Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, double.PositiveInfinity], bounds);
    }

    [Fact]
    public async Task AddLeakproofInstrumentation_FullWorkerPool_ExportsQueueLengthAndRejections()
    {
        using var metrics = new ExportedMetrics(b => b.AddLeakproofInstrumentation());
        string name = Unique("pool");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var results = new List<Task<int>>();
        int rejected = 0;
        await using (var pool = new WorkerPool<int, int>(
            async (job, ct) =>
            {
                await gate.Task.WaitAsync(ct);
                return job;
            },
            new WorkerPoolOptions { Name = name, WorkerCount = 1, QueueCapacity = 1, FullMode = WorkerPoolFullMode.Reject }))
        {
            // One worker and one queue slot: of three jobs at most two are taken, so at least one is refused.
            for (int i = 0; i < 3; i++)
            {
                if (pool.TryRun(i, out Task<int>? result))
                {
                    results.Add(result!);
                }
                else
                {
                    rejected++;
                }
            }

            gate.SetResult();
            await Task.WhenAll(results).Guard();
        }

        IReadOnlyList<MetricSnapshot> exported = metrics.Collect();
        Assert.True(rejected >= 1);
        Assert.Equal(rejected, ExportedMetrics.Points(exported, "leakproof.pool.job.rejected", "leakproof.pool.name", name).Single().GetSumLong());
        Assert.Equal(0, ExportedMetrics.Points(exported, "leakproof.pool.queue.length", "leakproof.pool.name", name).Single().GetSumLong());
    }

    [Fact]
    public async Task AddLeakproofInstrumentation_BackgroundLoopTicks_ExportsTicksByOutcome()
    {
        using var metrics = new ExportedMetrics(b => b.AddLeakproofInstrumentation());
        string name = Unique("loop");
        var ticked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var loop = new BackgroundLoop(
            _ =>
            {
                ticked.TrySetResult();
                return default;
            },
            new BackgroundLoopOptions { Name = name, RunImmediately = true, Period = TimeSpan.FromHours(1) }))
        {
            loop.EnsureStarted();
            await ticked.Task.Guard();
            await loop.StopAsync().Guard();
        }

        IReadOnlyList<MetricPoint> ticks = ExportedMetrics.Points(metrics.Collect(), "leakproof.loop.tick.completed", "leakproof.loop.name", name);
        Assert.Equal(1, ticks.Single(p => (string?)ExportedMetrics.Tag(p, "leakproof.outcome") == "success").GetSumLong());
    }

    [Fact]
    public async Task MeterProvider_WithoutInstrumentation_ExportsNoLeakproofMetric()
    {
        using var metrics = new ExportedMetrics(b => b.AddMeter("Not.Leakproof"));
        await TaskScope.RunAsync(
            (scope, ct) =>
            {
                scope.Spawn(_ => default);
                return default;
            },
            new TaskScopeOptions { Name = Unique("unlistened") }).Guard();

        Assert.DoesNotContain(metrics.Names(), n => n.StartsWith("leakproof.", StringComparison.Ordinal));
    }

    [Fact]
    public void AddLeakproofInstrumentation_Default_ExportsNoCensusMetric()
    {
        using var metrics = new ExportedMetrics(b => b.AddLeakproofInstrumentation());
        Assert.DoesNotContain(metrics.Names(), n => n.StartsWith("leakproof.census.", StringComparison.Ordinal));
    }

    internal static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
