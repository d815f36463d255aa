using System;
using System.Collections.Generic;
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
        await RaceWithScopeAsync(s_competitors); // TODO(merge): switch to TaskScope.RaceAsync

    /// <summary>
    /// Stands in for <c>TaskScope.RaceAsync</c> (same signature) until it is merged: spawns every competitor, takes
    /// the first to finish, cancels the rest, and lets the scope wait for them.
    /// </summary>
    private static Task<TResult> RaceWithScopeAsync<TResult>(
        IEnumerable<Func<CancellationToken, ValueTask<TResult>>> competitors,
        TaskScopeOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Leakproof.TaskScope.RunAsync(
            async (scope, _) =>
            {
                var tasks = new List<Task<TResult>>();
                foreach (Func<CancellationToken, ValueTask<TResult>> competitor in competitors)
                {
                    tasks.Add(scope.Spawn(competitor));
                }

                Task<TResult> winner = await Task.WhenAny(tasks);
                scope.Cancel();
                return await winner;
            },
            options,
            cancellationToken);
}
