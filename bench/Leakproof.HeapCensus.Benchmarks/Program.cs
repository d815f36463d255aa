using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.HeapCensus.Benchmarks;

/// <summary>
/// Measures a heap census end to end against tests/TargetApps/PendingChains with 100k pending chains (a real child
/// process): the total capture time, the target's pause (the dump) and the analysis, as medians of N runs.
/// Usage: <c>dotnet Leakproof.HeapCensus.Benchmarks.dll [--quick] [--chains N] [--runs N] [--no-abandoned] [--groups-only] [--keep-dump FILE]</c>;
/// <c>--dump FILE [--json OUT]</c> analyzes a kept dump instead and prints the median of each analysis phase (and writes the census).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        bool quick = args.Contains("--quick", StringComparer.Ordinal);
        int chains = Option(args, "--chains", quick ? 20_000 : 100_000);
        int runs = Option(args, "--runs", quick ? 2 : 5);
        var options = new HeapCensusOptions
        {
            DetectAbandoned = !args.Contains("--no-abandoned", StringComparer.Ordinal),
            IncludeOperations = !args.Contains("--groups-only", StringComparer.Ordinal),
        };
        if (Text(args, "--dump") is { } dump)
        {
            return AnalyzeDump(dump, options, runs, Text(args, "--json"));
        }

        string? keep = Text(args, "--keep-dump");
        if (keep is not null)
        {
            options.AfterDump = path => File.Copy(path, keep, overwrite: true);
        }

        string target = Path.Combine(RepositoryRoot(), "artifacts", "bin", "PendingChains", "release", "PendingChains.dll");
        if (!File.Exists(target))
        {
            target = Path.Combine(RepositoryRoot(), "artifacts", "bin", "PendingChains", "debug", "PendingChains.dll");
        }

        using var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{target}\" --chains {chains} --depth 3 --abandoned 100")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("dotnet did not start.");
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await process.StandardOutput.ReadLineAsync(ready.Token) is { } line && line != "ready")
            {
            }

            var totals = new List<double>();
            var pauses = new List<double>();
            var analyses = new List<double>();
            int operations = 0;
            int abandoned = 0;
            long bytes = 0;
            for (int run = 0; run < runs; run++)
            {
                var clock = Stopwatch.StartNew();
                HeapCensusResult result = await HeapCensus.CaptureAsync(process.Id, options);
                totals.Add(clock.Elapsed.TotalMilliseconds);
                pauses.Add(result.TargetPause.TotalMilliseconds);
                analyses.Add(result.Analysis.TotalMilliseconds);
                operations = result.Snapshot.Operations.Count;
                abandoned = result.Snapshot.Abandoned.Count;
                bytes = result.DumpBytes;
                Console.Error.WriteLine($"run {run + 1}: total {totals[^1]:0} ms, pause {pauses[^1]:0} ms, analysis {analyses[^1]:0} ms, {operations} operations, {abandoned} abandoned, dump {bytes / (1024 * 1024)} MB");
            }

            Console.WriteLine($"# {chains} chains (depth 3), {runs} runs, {operations} pending operations, {abandoned} abandoned, dump {bytes / (1024 * 1024)} MB; medians");
            Console.WriteLine(Line("heapcensus.total", totals));
            Console.WriteLine(Line("heapcensus.pause", pauses));
            Console.WriteLine(Line("heapcensus.analysis", analyses));
            return 0;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Analyzes an existing dump (written with <c>--keep-dump</c>) N times and prints each phase's median.</summary>
    private static int AnalyzeDump(string dump, HeapCensusOptions options, int runs, string? json)
    {
        var phases = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var totals = new List<double>();
        var cpus = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            var clock = Stopwatch.StartNew();
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var analyzer = new Internal.DumpAnalyzer(options, processInfo: null, capturedAt: DateTimeOffset.UnixEpoch, CancellationToken.None);
            var snapshot = analyzer.Analyze(dump);
            totals.Add(clock.Elapsed.TotalMilliseconds);
            cpus.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
            Console.Error.WriteLine($"run {run + 1}: analysis {totals[^1]:0} ms (process CPU {cpus[^1]:0} ms), {snapshot.Operations.Count} operations, {snapshot.Abandoned.Count} abandoned: "
                + string.Join(", ", analyzer.Phases.Select(p => $"{p.Phase} {p.Elapsed.TotalMilliseconds:0}")));
            if (json is not null)
            {
                File.WriteAllText(json, snapshot.ToJson(indented: true)); // To compare the census of two builds.
            }

            foreach ((string phase, TimeSpan elapsed) in analyzer.Phases)
            {
                if (!phases.TryGetValue(phase, out List<double>? values))
                {
                    phases.Add(phase, values = []);
                }

                values.Add(elapsed.TotalMilliseconds);
            }
        }

        Console.WriteLine($"# {dump}, {runs} runs; medians");
        Console.WriteLine(Line("heapcensus.analysis", totals));
        Console.WriteLine(Line("heapcensus.analysis.cpu", cpus));
        foreach ((string phase, List<double> values) in phases)
        {
            Console.WriteLine(Line("heapcensus.analysis." + phase, values));
        }

        return 0;
    }

    private static string? Text(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string Line(string name, List<double> values)
    {
        values.Sort();
        double median = values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture, $"{name} value={median:0.0} unit=ms");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out int value) ? value : fallback;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Leakproof.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Leakproof.slnx above {AppContext.BaseDirectory}.");
    }
}
