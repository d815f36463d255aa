using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace Leakproof.Benchmarks;

/// <summary>
/// Limited fan-out: the same 100 children, at most 4 running at once. The baseline is the usual hand-rolled gate:
/// the spawning loop waits on a <see cref="SemaphoreSlim"/> before starting each child (back-pressure), and each
/// child releases it when done.
/// </summary>
[MemoryDiagnoser]
public class LimitedFanOutBenchmark
{
    /// <summary>The scope options with the limit; built once, as a caller would keep them.</summary>
    private static readonly TaskScopeOptions s_limited = new() { MaxConcurrency = Workload.Limit };

    [Benchmark(Baseline = true)]
    public async Task SemaphoreSlimGate()
    {
        using var gate = new SemaphoreSlim(Workload.Limit);
        var tasks = new Task[Workload.ChildCount];
        for (int i = 0; i < tasks.Length; i++)
        {
            await gate.WaitAsync();
            tasks[i] = RunThenReleaseAsync(Workload.Child, gate);
        }

        await Task.WhenAll(tasks);
    }

    [Benchmark]
    public Task TaskScopeSpawnAsync() => Leakproof.TaskScope.RunAsync(
        static async (scope, _) =>
        {
            for (int i = 0; i < Workload.ChildCount; i++)
            {
                await scope.SpawnAsync(Workload.Child);
            }
        },
        s_limited);

    [Benchmark]
    public Task TaskScopeSpawn() => Leakproof.TaskScope.RunAsync(
        static (scope, _) =>
        {
            for (int i = 0; i < Workload.ChildCount; i++)
            {
                scope.Spawn(Workload.Child);
            }

            return ValueTask.CompletedTask;
        },
        s_limited);

    /// <summary>The gate's wrapper: run the child, then give its slot back whatever happened.</summary>
    private static async Task RunThenReleaseAsync(Func<CancellationToken, ValueTask> work, SemaphoreSlim gate)
    {
        try
        {
            await work(CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
    }
}
