using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Snippets.Docs;

/// <summary>docs/telemetry.md.</summary>
internal static class TelemetryUsage
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        // begin-snippet: opentelemetry
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddLeakproofInstrumentation(o => o.IncludeCensusMetrics = true) // census gauges: optional, see below
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing.AddLeakproofInstrumentation());
        // end-snippet
        return builder.Build();
    }
}
