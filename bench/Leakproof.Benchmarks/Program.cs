using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;

namespace Leakproof.Benchmarks;

/// <summary>Runs the suite: BenchmarkDotNet's switcher by default, the one-minute quick mode with <c>--quick</c>, or only its census and LeakGuard figures with <c>--quick-census</c>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains(QuickFigures.Switch, StringComparer.Ordinal))
        {
            return QuickFigures.Run();
        }

        if (args.Contains(QuickRun.Switch, StringComparer.Ordinal))
        {
            return QuickRun.Run(args);
        }

        // BenchmarkDotNet's generated project sits under artifacts/, so the SDK imports our Directory.Build.props
        // before BenchmarkDotNet can opt out, and its undocumented boilerplate would fail on CS1591 (a warning that
        // MSBuildTreatWarningsAsErrors turns into an error). Our own projects keep TreatWarningsAsErrors. A mutator
        // applies to every job, including one chosen with --job. DefaultConfig already exports GitHub markdown.
        Job job = Job.Default
            .WithArguments([new MsBuildArgument("/p:MSBuildTreatWarningsAsErrors=false")])
            .AsMutator();
        IConfig config = DefaultConfig.Instance
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddValidator(ExecutionValidator.FailOnError);
        _ = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
