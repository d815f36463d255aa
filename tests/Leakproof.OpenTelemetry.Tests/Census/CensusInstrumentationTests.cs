using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.OpenTelemetry.Tests.Support;
using Leakproof.Tests.TestSupport;
using OpenTelemetry.Metrics;

namespace Leakproof.OpenTelemetry.Tests.Census;

public sealed class CensusInstrumentationTests
{
    [Fact]
    public async Task AddLeakproofInstrumentation_IncludeCensusMetrics_ExportsPendingByKindAndAbandoned()
    {
        AsyncCensus.Enable();
        using var metrics = new ExportedMetrics(b => b.AddLeakproofInstrumentation(o => o.IncludeCensusMetrics = true));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task parked = ParkAsync(gate.Task);
        try
        {
            IReadOnlyList<MetricSnapshot> exported = metrics.Collect();
            IReadOnlyList<MetricPoint> asyncMethods = ExportedMetrics.Points(exported, "leakproof.census.operation.pending", "leakproof.operation.kind", "async_method");
            Assert.True(asyncMethods.Single().GetGaugeLastValueLong() >= 1, "the parked async method is pending");
            MetricSnapshot abandoned = Assert.Single(exported, m => m.Name == "leakproof.census.operation.abandoned");
            Assert.True(abandoned.MetricPoints.Single().GetSumLong() >= 0);
        }
        finally
        {
            gate.SetResult();
            await parked.Guard();
        }
    }

    [Fact]
    public void AddLeakproofInstrumentation_IncludeCensusMetricsFalse_ExportsOnlyLeakproofMeter()
    {
        AsyncCensus.Enable();
        using var metrics = new ExportedMetrics(b => b.AddLeakproofInstrumentation(o => o.IncludeCensusMetrics = false));
        Assert.DoesNotContain(metrics.Names(), n => n.StartsWith("leakproof.census.", System.StringComparison.Ordinal));
    }

    private static async Task ParkAsync(Task gate) => await gate;
}
