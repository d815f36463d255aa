using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace Leakproof.Benchmarks;

/// <summary>
/// A race of 3 competitors that each yield once and return an int: the first result wins, the losers are cancelled
/// and awaited, so none outlives the race. The baseline does this by hand with <c>WhenAny</c>.
/// </summary>
[MemoryDiagnoser]
public class RaceBenchmark
{
    /// <summary>The competitors, built once so only the race itself is measured.</summary>
    private static readonly Func<CancellationToken, ValueTask<int>>[] s_competitors = Workload.CreateCompetitors();

    [Benchmark(Baseline = true)]
    public async Task<int> HandRolledWhenAny()
    {
        using var cts = new CancellationTokenSource();
        var tasks = new Task<int>[s_competitors.Length];
        for (int i = 0; i < tasks.Length; i++)
        {
            tasks[i] = s_competitors[i](cts.Token).AsTask();
        }

        Task<int> winner = await Task.WhenAny(tasks);
        cts.Cancel();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException)
        {
            // Losers that noticed the cancellation; the winner's outcome is read below.
        }

        return await winner;
    }

    [Benchmark]
    public async Task<int> TaskScope() =>
        await Leakproof.TaskScope.RaceAsync(s_competitors);
}
