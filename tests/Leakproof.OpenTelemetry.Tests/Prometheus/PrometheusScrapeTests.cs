using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.OpenTelemetry.Tests.Support;

namespace Leakproof.OpenTelemetry.Tests.Prometheus;

/// <summary>
/// The sample app, scraped by a real Prometheus: every Leakproof instrument must arrive under its Prometheus name.
/// Bounded (90 s), never timed: the test polls Prometheus's HTTP API until the names appear or the bound passes.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string PrometheusPath = "/usr/bin/prometheus";

    /// <summary>The names Prometheus stores: dots become underscores, the unit <c>s</c> becomes <c>_seconds</c>,
    /// <c>{annotations}</c> are dropped, counters end in <c>_total</c>, histograms split into three series.</summary>
    public static readonly string[] ExpectedNames =
    [
        "leakproof_scope_child_started_total",
        "leakproof_scope_child_completed_total",
        "leakproof_scope_child_active",
        "leakproof_scope_child_duration_seconds_bucket",
        "leakproof_scope_child_duration_seconds_sum",
        "leakproof_scope_child_duration_seconds_count",
        "leakproof_pool_queue_length",
        "leakproof_pool_job_rejected_total",
        "leakproof_loop_tick_completed_total",
        "leakproof_census_operation_pending",
        "leakproof_census_operation_abandoned_total",
    ];

    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_pollDelay = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Prometheus_ScrapesSample_StoresEveryLeakproofMetric()
    {
        Assert.True(File.Exists(PrometheusPath), $"{PrometheusPath} not found: install Debian package prometheus (apt-get install prometheus).");
        using var bound = new CancellationTokenSource(s_bound, TimeProvider.System);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        DirectoryInfo temp = Directory.CreateTempSubdirectory("leakproof-prometheus-");
        try
        {
            await using ChildProcess sample = StartSample();
            string metricsUrl = await sample.WaitForLineAsync(bound.Token);
            var target = new Uri(metricsUrl);

            int port = FreePort();
            string config = Path.Combine(temp.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: leakproof-sample
                    metrics_path: {target.AbsolutePath}
                    static_configs:
                      - targets: ['{target.Authority}']
                """);
            var start = new ProcessStartInfo(PrometheusPath)
            {
                ArgumentList =
                {
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + Path.Combine(temp.FullName, "data"),
                    $"--web.listen-address=127.0.0.1:{port}",
                },
                WorkingDirectory = temp.FullName,
            };
            await using ChildProcess prometheus = ChildProcess.Start(start, line => line.Contains("Server is ready to receive web requests", StringComparison.Ordinal) ? line : null);
            await prometheus.WaitForLineAsync(bound.Token);
            var api = new Uri($"http://127.0.0.1:{port}/api/v1/");

            List<string> names = [];
            try
            {
                while (!ExpectedNames.All(names.Contains))
                {
                    await Task.Delay(s_pollDelay, TimeProvider.System, bound.Token);
                    using JsonDocument values = await GetAsync(http, new Uri(api, "label/__name__/values"), bound.Token);
                    names = [.. values.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetString()!)];
                }
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested)
            {
                Assert.Fail(
                    $"Within {s_bound.TotalSeconds} s Prometheus did not store {string.Join(", ", ExpectedNames.Except(names))}.{Environment.NewLine}" +
                    $"Stored: {string.Join(", ", names)}{Environment.NewLine}" +
                    $"Targets: {await TargetsAsync(http, api)}{Environment.NewLine}" +
                    $"Sample output:{Environment.NewLine}{sample.Output}{Environment.NewLine}Prometheus output:{Environment.NewLine}{prometheus.Output}");
            }

            string leakproofNames = string.Join(Environment.NewLine, names.Where(n => n.StartsWith("leakproof_", StringComparison.Ordinal)));
            TestContext.Current.TestOutputHelper?.WriteLine("Leakproof metric names stored by Prometheus:" + Environment.NewLine + leakproofNames);

            string targets = await TargetsAsync(http, api);
            Assert.True(targets.Contains("\"health\":\"up\"", StringComparison.Ordinal), $"The sample's scrape target is not up: {targets}");

            using JsonDocument query = await GetAsync(
                http, new Uri(api, "query?query=" + Uri.EscapeDataString("sum(leakproof_scope_child_started_total)")), bound.Token);
            JsonElement result = Assert.Single(query.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().ToList());
            double started = double.Parse(result.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            Assert.True(started > 0, $"leakproof_scope_child_started_total is {started}");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static ChildProcess StartSample()
    {
        // The harness runs from artifacts/bin/<harness>/<configuration>/: the sample sits next to it.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        string project = "Leakproof.PrometheusSample";
        string dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", project, configuration, project + ".dll"));
        Assert.True(File.Exists(dll), $"Sample not built: {dll}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { dll, "--urls", "http://127.0.0.1:0" },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        return ChildProcess.Start(start, line => line.StartsWith("Ready: ", StringComparison.Ordinal) ? line["Ready: ".Length..].Trim() : null);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<JsonDocument> GetAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.GetAsync(uri, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {uri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    private static async Task<string> TargetsAsync(HttpClient http, Uri api)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), TimeProvider.System);
            return await http.GetStringAsync(new Uri(api, "targets"), timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return $"(unavailable: {ex.Message})";
        }
    }
}
