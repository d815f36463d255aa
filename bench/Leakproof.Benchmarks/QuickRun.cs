using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BenchmarkDotNet.Validators;

namespace Leakproof.Benchmarks;

/// <summary>
/// The quick mode: every comparison measured once with BenchmarkDotNet in-process and a short job, then one line per
/// comparison on stdout (<c>name time_ratio=… alloc_ratio=…</c>, candidate divided by baseline from the same run).
/// </summary>
/// <remarks>Allocation ratios are steady from run to run; time ratios are only as steady as the machine is quiet. Use
/// the full run for numbers you publish. Nothing but the result lines is written to stdout.</remarks>
internal static class QuickRun
{
    /// <summary>The command-line switch that selects the quick mode.</summary>
    public const string Switch = "--quick";

    /// <summary>Every candidate of the suite; a benchmark missing here fails the quick run so the list cannot drift.</summary>
    private static readonly QuickComparison[] s_comparisons =
    [
        new("fanout.taskscope_vs_errgroup", typeof(FanOutBenchmark), nameof(FanOutBenchmark.TaskScope)),
        new("fanout.whenall_vs_errgroup", typeof(FanOutBenchmark), nameof(FanOutBenchmark.WhenAll)),
        new("fanout.parallel_foreach_vs_errgroup", typeof(FanOutBenchmark), nameof(FanOutBenchmark.ParallelForEachAsync)),
        new("limited.taskscope_spawnasync_vs_semaphore", typeof(LimitedFanOutBenchmark), nameof(LimitedFanOutBenchmark.TaskScopeSpawnAsync)),
        new("limited.taskscope_spawn_vs_semaphore", typeof(LimitedFanOutBenchmark), nameof(LimitedFanOutBenchmark.TaskScopeSpawn)),
        new("race.taskscope_vs_whenany", typeof(RaceBenchmark), nameof(RaceBenchmark.TaskScope)),
    ];

    public static int Run(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine($"{Switch} takes no other arguments; run without it to pass BenchmarkDotNet options.");
            return 2;
        }

        Job job = new Job("Quick")
            .WithToolchain(InProcessEmitToolchain.DontLogOutput)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(20)
            .WithInvocationCount(512)
            .WithUnrollFactor(1)
            .WithEvaluateOverhead(false);

        // BenchmarkDotNet's log goes to memory, so stdout holds only our lines; it is shown on stderr if a run fails.
        var log = new AccumulationLogger();
        IConfig config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(log)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddValidator(ExecutionValidator.FailOnError)
            .AddFilter(new SimpleFilter(b => !QuickFigures.IsCensusBenchmark(b.Descriptor.Type)))
            .WithOptions(ConfigOptions.DisableLogFile);

        // The whole assembly runs (but the census benchmarks, measured by QuickFigures below), so a benchmark added
        // without a quick name is caught below.
        Summary[] summaries = BenchmarkRunner.Run(typeof(QuickRun).Assembly, config);
        List<BenchmarkReport> reports = [.. summaries.SelectMany(s => s.Reports)];

        int exitCode = CheckEveryCandidateIsListed(reports);
        foreach (QuickComparison comparison in s_comparisons)
        {
            BenchmarkReport? candidate = reports.Find(r => Is(r, comparison.Benchmark) && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == comparison.Candidate);
            BenchmarkReport? baseline = reports.Find(r => Is(r, comparison.Benchmark) && r.BenchmarkCase.Descriptor.Baseline);
            if (Ratios(candidate, baseline) is not (double time, double alloc))
            {
                Console.Error.WriteLine($"{comparison.Name}: no result (the benchmark or its baseline failed).");
                exitCode = 1;
                continue;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{comparison.Name} time_ratio={time:F2} alloc_ratio={alloc:F2}"));
        }

        if (exitCode != 0)
        {
            Console.Error.WriteLine(log.GetLog());
        }

        // Last: these enable the census, which is process-wide and would slow every benchmark run after it.
        exitCode = Math.Max(exitCode, QuickFigures.Run());

        return exitCode;
    }

    private static bool Is(BenchmarkReport report, Type benchmark) => report.BenchmarkCase.Descriptor.Type == benchmark;

    private static (double Time, double Alloc)? Ratios(BenchmarkReport? candidate, BenchmarkReport? baseline)
    {
        if (candidate?.ResultStatistics is not { } c || baseline?.ResultStatistics is not { } b
            || candidate.GcStats.GetBytesAllocatedPerOperation(candidate.BenchmarkCase) is not long cAlloc
            || baseline.GcStats.GetBytesAllocatedPerOperation(baseline.BenchmarkCase) is not long bAlloc)
        {
            return null;
        }

        return (c.Mean / b.Mean, bAlloc == 0 ? double.NaN : (double)cAlloc / bAlloc);
    }

    private static int CheckEveryCandidateIsListed(List<BenchmarkReport> reports)
    {
        int exitCode = 0;
        foreach (BenchmarkReport report in reports)
        {
            var descriptor = report.BenchmarkCase.Descriptor;
            if (!descriptor.Baseline && !s_comparisons.Any(c => c.Benchmark == descriptor.Type && c.Candidate == descriptor.WorkloadMethod.Name))
            {
                Console.Error.WriteLine($"{descriptor.Type.Name}.{descriptor.WorkloadMethod.Name} has no quick comparison name; add it to {nameof(QuickRun)}.");
                exitCode = 1;
            }
        }

        return exitCode;
    }
}
