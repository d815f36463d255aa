using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Leakproof.Census;

namespace Leakproof.Benchmarks;

/// <summary>
/// The quick mode's absolute figures for the census and LeakGuard (<c>name value=… unit=…</c>), measured with a
/// small Stopwatch harness (median of N runs) instead of BenchmarkDotNet: quick mode runs BenchmarkDotNet in-process,
/// and enabling the census is process-wide and irreversible, so the "off" case must be measured before anything
/// enables it and the census must stay off until every TaskScope comparison has run. It runs last.
/// </summary>
internal static class QuickFigures
{
    /// <summary>The command-line switch that runs only these figures (about 10 s).</summary>
    public const string Switch = "--quick-census";

    /// <summary>The benchmark classes measured here; a class of the census category missing here fails the run.</summary>
    private static readonly Type[] s_covered = [typeof(TrackingOverheadBenchmark), typeof(CensusCaptureBenchmark), typeof(VerifyNoLeaksBenchmark)];

    /// <summary>Gets a value indicating whether a benchmark belongs to the census category, which BenchmarkDotNet
    /// skips in quick mode.</summary>
    /// <param name="type">The benchmark class.</param>
    /// <returns><see langword="true"/> if this harness measures it.</returns>
    public static bool IsCensusBenchmark(Type type) =>
        type.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories.Contains(CensusWorkload.Category, StringComparer.Ordinal) == true;

    /// <summary>Measures every figure and prints one line each.</summary>
    /// <returns>The exit code: 0, or 1 if a census benchmark has no figure here.</returns>
    public static int Run()
    {
        int exitCode = 0;
        foreach (Type type in typeof(QuickFigures).Assembly.GetTypes().Where(IsCensusBenchmark).Except(s_covered))
        {
            Console.Error.WriteLine($"{type.Name} has no quick figure; add it to {nameof(QuickFigures)}.");
            exitCode = 1;
        }

        if (AsyncCensus.IsEnabled)
        {
            Console.Error.WriteLine("The census was enabled before the tracking baseline; the overhead figure would be wrong.");
            return 1;
        }

        // Tracking: 1,000-operation batches, 20 per sample; the median sample, census off and then on.
        double off = Median(21, () => TimeBatches(20)) * 1e6 / CensusWorkload.OperationsPerBatch;
        AsyncCensus.Enable();
        double on = Median(21, () => TimeBatches(20)) * 1e6 / CensusWorkload.OperationsPerBatch;
        Print("census.tracking_overhead", on - off, "ns");

        // Capture: the first capture (registry takeover, symbols) is not measured.
        var gate = new TaskCompletionSource();
        Task[] chains = CensusWorkload.StartPendingChains(CensusWorkload.CaptureChains, gate.Task);
        _ = AsyncCensus.Capture(CensusCaptureBenchmark.WithStacks);
        Print("census.capture_100k_grouped", Median(5, () => Time(() => AsyncCensus.Capture(CensusCaptureBenchmark.Grouped))), "ms");
        Print("census.capture_100k_grouped_with_operations", Median(5, () => Time(() => AsyncCensus.Capture(CensusCaptureBenchmark.GroupedWithOperations))), "ms");
        Print("census.capture_100k_with_stacks", Median(3, () => Time(() => AsyncCensus.Capture(CensusCaptureBenchmark.WithStacks))), "ms");
        gate.SetResult();
        Task.WaitAll(chains);

        // Verify: a fresh set of 10k unrelated chains, set up as the benchmark does.
        var benchmark = new VerifyNoLeaksBenchmark();
        benchmark.StartUnrelatedWork();
        Print("leakguard.verify_clean_with_10k_pending", Median(15, () => Time(() => VerifyNoLeaksBenchmark.RunCleanGuardedTestAsync().GetAwaiter().GetResult())), "ms");
        benchmark.EndUnrelatedWork();
        return exitCode;
    }

    private static double TimeBatches(int batches) => Time(() =>
    {
        for (int i = 0; i < batches; i++)
        {
            CensusWorkload.RunBatch();
        }
    }) / batches;

    /// <summary>Times one run in milliseconds, after a full collection so earlier garbage is not charged to it.</summary>
    private static double Time(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Runs <paramref name="measure"/> twice to warm up (tiered JIT), then <paramref name="runs"/> times; the median.</summary>
    private static double Median(int runs, Func<double> measure)
    {
        _ = measure();
        _ = measure();
        var samples = new List<double>(runs);
        for (int i = 0; i < runs; i++)
        {
            samples.Add(measure());
        }

        samples.Sort();
        return samples[runs / 2];
    }

    private static void Print(string name, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} value={value.ToString(Math.Abs(value) < 10 ? "F2" : "F0", CultureInfo.InvariantCulture)} unit={unit}"));
}
