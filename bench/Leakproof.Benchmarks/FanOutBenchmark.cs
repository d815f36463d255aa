using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace Leakproof.Benchmarks;

/// <summary>
/// Unlimited fan-out: 100 children that each yield once. The hand-rolled errgroup is the baseline because it gives
/// the same guarantee a scope gives (wait for all, cancel siblings on the first failure); raw <c>WhenAll</c> and
/// <c>Parallel.ForEachAsync</c> show the floor and the BCL alternative.
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmark
{
    /// <summary>The inputs for <c>Parallel.ForEachAsync</c>, built once so the loop body is all that is measured.</summary>
    private static readonly int[] s_items = Enumerable.Range(0, Workload.ChildCount).ToArray();

    /// <summary>Lets <c>Parallel.ForEachAsync</c> run every child at once, like the other candidates.</summary>
    private static readonly ParallelOptions s_parallelOptions = new() { MaxDegreeOfParallelism = Workload.ChildCount };

    [Benchmark(Baseline = true)]
    public async Task HandRolledErrGroup()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken.None);
        var tasks = new Task[Workload.ChildCount];
        for (int i = 0; i < tasks.Length; i++)
        {
            tasks[i] = RunCancellingOnFaultAsync(Workload.Child, cts);
        }

        await Task.WhenAll(tasks);
    }

    [Benchmark]
    public Task TaskScope() => Leakproof.TaskScope.RunAsync(static (scope, _) =>
    {
        for (int i = 0; i < Workload.ChildCount; i++)
        {
            scope.Spawn(Workload.Child);
        }

        return ValueTask.CompletedTask;
    });

    [Benchmark]
    public async Task WhenAll()
    {
        var tasks = new Task[Workload.ChildCount];
        for (int i = 0; i < tasks.Length; i++)
        {
            tasks[i] = Workload.ChildAsync(CancellationToken.None).AsTask();
        }

        await Task.WhenAll(tasks);
    }

    [Benchmark]
    public Task ParallelForEachAsync() =>
        Parallel.ForEachAsync(s_items, s_parallelOptions, static (_, cancellationToken) => Workload.ChildAsync(cancellationToken));

    /// <summary>The errgroup wrapper: run the child, and cancel its siblings if it fails.</summary>
    private static async Task RunCancellingOnFaultAsync(Func<CancellationToken, ValueTask> work, CancellationTokenSource cts)
    {
        try
        {
            await work(cts.Token);
        }
        catch
        {
            cts.Cancel();
            throw;
        }
    }
}
