using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Tool.Benchmarks;

/// <summary>
/// Measures <c>dotnet-leakproof</c> end to end against tests/TargetApps/AgentChains (real child processes):
/// <list type="bullet">
/// <item><c>census --route agent</c> (groups, the default text report) on a target holding N pending chains created after
/// the agent started: wall-clock time of the tool process, and the target's largest pause (its 1 ms ticker's largest gap);</item>
/// <item><c>watch</c> on a target churning R short async operations per second: operations per second the tool saw
/// begin, and the events EventPipe reported lost.</item>
/// <item><c>census --route dump</c> (groups, the default text report; then once <c>--format json</c>, every operation) on a
/// tests/TargetApps/PendingChains target (no Leakproof code) holding N pending chains: wall-clock time of the tool
/// process, a fresh one per run, from start to exit;</item>
/// </list>
/// Usage: <c>dotnet Leakproof.Tool.Benchmarks.dll [--quick] [--only agent|dump|watch] [--chains N] [--runs N] [--churn R] [--watch-seconds S]</c>.
/// </summary>
public static partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        bool quick = args.Contains("--quick", StringComparer.Ordinal);
        int chains = Option(args, "--chains", quick ? 10_000 : 100_000);
        int runs = Option(args, "--runs", quick ? 2 : 5);
        int churn = Option(args, "--churn", quick ? 10_000 : 50_000);
        int watchSeconds = Option(args, "--watch-seconds", quick ? 4 : 8);
        string? only = Array.IndexOf(args, "--only") is int at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        string tool = Artifact("Leakproof.Tool");
        string target = Artifact("AgentChains");
        if (only is null or "dump" && await MeasureDumpRouteAsync(tool, chains, runs) != 0)
        {
            return 2;
        }

        if (only is "dump")
        {
            return 0;
        }

        // Census through the agent.
        await using (var child = await Target.StartAsync(target, $"--chains {chains}"))
        {
            await child.AskAsync("gap"); // the start-up's gaps do not count

            // The same ticker's largest gap over two idle seconds: what the machine's own noise accounts for.
            await Task.Delay(TimeSpan.FromSeconds(2));
            double idle = double.Parse((await child.AskAsync("gap"))["gap ".Length..], CultureInfo.InvariantCulture);
            var times = new List<double>();
            var pauses = new List<double>();
            for (int run = 0; run < runs; run++)
            {
                var clock = Stopwatch.StartNew();
                (int code, string output, string error) = await RunAsync(tool, $"census -p {child.ProcessId} --route agent");
                times.Add(clock.Elapsed.TotalMilliseconds);
                pauses.Add(double.Parse((await child.AskAsync("gap"))["gap ".Length..], CultureInfo.InvariantCulture));
                string header = output.Split('\n')[0];
                Console.Error.WriteLine($"census run {run + 1}: exit {code}, {times[^1]:0} ms, target pause {pauses[^1]:0.0} ms: {header}{(code != 0 ? " " + error.Trim() : string.Empty)}");
                if (code != 0)
                {
                    return 2;
                }
            }

            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tool.agent.census value={Median(times):0} unit=ms"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tool.agent.census_first value={times[0]:0} unit=ms"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tool.agent.pause value={pauses.Max():0.0} unit=ms"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tool.agent.pause_idle value={idle:0.0} unit=ms"));
        }

        if (only is "agent")
        {
            return 0;
        }

        // Watch at R operations per second.
        await using (var child = await Target.StartAsync(target, $"--chains 0 --churn {churn}"))
        {
            long before = long.Parse((await child.AskAsync("ops"))["ops ".Length..], CultureInfo.InvariantCulture);
            var clock = Stopwatch.StartNew();
            (int code, string output, string error) = await RunAsync(tool, $"watch -p {child.ProcessId} --duration {watchSeconds}s --interval 1s --no-abandoned");
            double seconds = clock.Elapsed.TotalSeconds;
            long after = long.Parse((await child.AskAsync("ops"))["ops ".Length..], CultureInfo.InvariantCulture);
            var rates = new List<double>();
            long lost = 0;
            foreach (Match match in Sample().Matches(output))
            {
                rates.Add(double.Parse(match.Groups["rate"].Value, CultureInfo.InvariantCulture));
                if (match.Groups["lost"].Success)
                {
                    lost = Math.Max(lost, long.Parse(match.Groups["lost"].Value, CultureInfo.InvariantCulture));
                }
            }

            Console.Error.WriteLine($"watch: exit {code}, intervals {string.Join(", ", rates)} begun/s, target ran {(after - before) / seconds:0} ops/s{(code != 0 ? " " + error.Trim() : string.Empty)}");
            if (code != 0 || rates.Count < 2)
            {
                return 2;
            }

            // The first interval includes the session's start: the steady rate is the median of the rest.
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tool.watch.rate value={Median(rates.Skip(1).ToList()):0} unit=ops/s"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tool.watch.target_rate value={(after - before) / seconds:0} unit=ops/s"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tool.watch.lost value={lost} unit=events"));
        }

        return 0;
    }

    /// <summary>The dump route: a heap dump of a target with no Leakproof code, analyzed by a fresh tool process each run.</summary>
    private static async Task<int> MeasureDumpRouteAsync(string tool, int chains, int runs)
    {
        await using var child = await Target.StartAsync(Artifact("PendingChains"), $"--chains {chains}");
        var times = new List<double>();
        string json = Path.Combine(Path.GetTempPath(), $"leakproof-bench-{Guid.NewGuid():N}.json");
        foreach (string format in Enumerable.Repeat("text", runs).Append("json"))
        {
            // The JSON (hundreds of MB) goes to a file: read through a pipe, this harness's own reading would be measured.
            var clock = Stopwatch.StartNew();
            (int code, string output, string error) = await RunAsync(tool, $"census -p {child.ProcessId} --route dump --format {format}{(format == "json" ? $" -o \"{json}\"" : string.Empty)}");
            double elapsed = clock.Elapsed.TotalMilliseconds;
            string header = format == "text" ? output.Split('\n')[0] : $"{(File.Exists(json) ? new FileInfo(json).Length / (1024 * 1024) : 0)} MB of JSON";
            File.Delete(json);
            Console.Error.WriteLine($"dump census ({format}): exit {code}, {elapsed:0} ms: {header}{(code != 0 ? " " + error.Trim() : string.Empty)}");
            if (code != 0)
            {
                return 2;
            }

            if (format == "text")
            {
                times.Add(elapsed);
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tool.dump.census_json value={elapsed:0} unit=ms"));
            }
        }

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tool.dump.census value={Median(times):0} unit=ms"));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tool.dump.census_first value={times[0]:0} unit=ms"));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tool.dump.census_max value={times.Max():0} unit=ms"));
        return 0;
    }

    [GeneratedRegex(@"^#\d+ pending -?\d+, begun (?<rate>\d+)/s(, (?<lost>\d+) events lost)?", RegexOptions.Multiline)]
    private static partial Regex Sample();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Artifact(string project)
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Leakproof.slnx")))
        {
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar)) ?? throw new InvalidOperationException("Run from inside the repository.");
        }

        foreach (string configuration in new[] { "release", "debug" })
        {
            string path = Path.Combine(root, "artifacts", "bin", project, configuration, project + ".dll");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"{project}.dll is not built: dotnet build bench/Leakproof.Tool.Benchmarks -c Release");
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string dll, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("dotnet did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>A target child (AgentChains answers one-line questions on standard input; PendingChains only waits).</summary>
    private sealed class Target : IAsyncDisposable
    {
        private readonly Process _process;

        private Target(Process process) => _process = process;

        public int ProcessId => _process.Id;

        public static async Task<Target> StartAsync(string dll, string arguments)
        {
            var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("dotnet did not start.");
            var target = new Target(process);
            using var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await process.StandardOutput.ReadLineAsync(ready.Token) is { } line && line != "ready")
            {
            }

            return target;
        }

        public async Task<string> AskAsync(string question)
        {
            await _process.StandardInput.WriteLineAsync(question);
            await _process.StandardInput.FlushAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await _process.StandardOutput.ReadLineAsync(bound.Token) ?? throw new InvalidOperationException("the target exited");
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
