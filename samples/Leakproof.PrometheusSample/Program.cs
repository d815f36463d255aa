using System;
using System.Linq;
using Leakproof;
using Leakproof.Census;
using Leakproof.PrometheusSample;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

// The census must be on before the work it counts starts; TrackAbandoned feeds leakproof.census.operation.abandoned.
AsyncCensus.Enable(new CensusOptions { TrackAbandoned = true });

// Listens where --urls (or ASPNETCORE_URLS) says; port 0 picks a free port, printed in the ready line.
WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // No line per scrape.
builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics
        .AddLeakproofInstrumentation(o => o.IncludeCensusMetrics = true)
        .AddPrometheusExporter());

builder.Services.AddSingleton<DemoTraffic>();
builder.Services.AddBackgroundLoop(
    "demo-traffic",
    (services, ct) => services.GetRequiredService<DemoTraffic>().TickAsync(ct),
    o =>
    {
        o.Period = TimeSpan.FromMilliseconds(500);
        o.RunImmediately = true;
        o.OnError = _ => default; // Failed ticks are counted (outcome "failure"); the demo does not log each one.
    });

await using WebApplication app = builder.Build();
app.MapPrometheusScrapingEndpoint();
app.MapGet("/", () => "Leakproof Prometheus sample: metrics at /metrics");

await app.StartAsync();
string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"Ready: {address}/metrics");
await app.WaitForShutdownAsync();
