using System;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Benchmarks;

/// <summary>The child work every candidate runs, so only the orchestration differs between them.</summary>
internal static class Workload
{
    /// <summary>The number of children in a fan-out.</summary>
    public const int ChildCount = 100;

    /// <summary>The concurrency limit of the limited fan-out.</summary>
    public const int Limit = 4;

    /// <summary>The number of competitors in a race.</summary>
    public const int CompetitorCount = 3;

    /// <summary>Gets the fan-out child as a cached delegate, as a caller with a method group or static lambda has it.</summary>
    public static Func<CancellationToken, ValueTask> Child { get; } = ChildAsync;

    /// <summary>Gives up the thread once, so the child really completes asynchronously on the thread pool.</summary>
    /// <param name="cancellationToken">The token the orchestration hands to its children (unused by the work itself).</param>
    /// <returns>A task that completes after one trip through the thread pool.</returns>
    public static async ValueTask ChildAsync(CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        await Task.Yield();
    }

    /// <summary>Creates the race competitors: each yields once and returns its index.</summary>
    /// <returns>The competitors.</returns>
    public static Func<CancellationToken, ValueTask<int>>[] CreateCompetitors()
    {
        var competitors = new Func<CancellationToken, ValueTask<int>>[CompetitorCount];
        for (int i = 0; i < competitors.Length; i++)
        {
            int index = i;
            competitors[i] = async cancellationToken =>
            {
                _ = cancellationToken;
                await Task.Yield();
                return index;
            };
        }

        return competitors;
    }
}
