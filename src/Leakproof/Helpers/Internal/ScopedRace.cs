using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Helpers.Internal;

/// <summary>
/// A race on a <see cref="TaskScope"/>: every competitor runs as a child of <see cref="_scope"/>; the first success
/// wins and cancels the scope, and leaving the scope waits for every loser.
/// </summary>
/// <typeparam name="TSource">The input each competitor receives.</typeparam>
/// <typeparam name="TResult">The competitors' result type.</typeparam>
/// <remarks>
/// Competitor failures never reach the scope: the wrapper records them, so one failure does not cancel the others
/// (whatever the scope's failure mode) and a loser's failure after the winner is observed here and dropped. The scope
/// then only ends in an exception for its own reasons: external cancellation or its deadline.
/// </remarks>
internal sealed class ScopedRace<TSource, TResult>
{
    /// <summary>The scope that owns every competitor.</summary>
    private readonly TaskScope _scope;

    /// <summary>The competitors' inputs, one per competitor, in the caller's order.</summary>
    private readonly TSource[] _sources;

    /// <summary>The operation each competitor runs on its input.</summary>
    private readonly Func<TSource, CancellationToken, ValueTask<TResult>> _competitor;

    /// <summary>How many competitors have taken an index; a competitor's index is its position in <see cref="_sources"/>.</summary>
    private int _started;

    /// <summary>0 until a competitor wins, then 1; set once, with <see cref="Interlocked.CompareExchange(ref int, int, int)"/>.</summary>
    private int _won;

    /// <summary>The winner's result; written by the winner only, read after the scope has finished.</summary>
    private TResult? _winner;

    /// <summary>Each competitor's failure at its index; created by the first failure.</summary>
    private Exception?[]? _failures;

    public ScopedRace(TaskScope scope, TSource[] sources, Func<TSource, CancellationToken, ValueTask<TResult>> competitor)
    {
        Debug.Assert(sources.Length > 0, "A race has at least one competitor.");
        _scope = scope;
        _sources = sources;
        _competitor = competitor;
    }

    /// <summary>Starts every competitor, waits for all of them, and returns the winner's result.</summary>
    /// <returns>The first successful result.</returns>
    [SuppressMessage("Reliability", "CA1849:Call async methods when in an async method", Justification = "Spawn never blocks: with no free slot it queues the child. SpawnAsync would wait for a slot, which the helper must not do.")]
    public async Task<TResult> RunAsync()
    {
        // One delegate for every competitor: each call takes the next index, so no per-competitor closure is needed.
        Func<CancellationToken, ValueTask> runNext = RunNextAsync;
        for (int i = 0; i < _sources.Length && Volatile.Read(ref _won) == 0; i++)
        {
            _scope.Spawn(runNext, HelperConstants.RaceCompetitorName);
        }

        try
        {
            await _scope.WaitAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The scope was cancelled from outside or hit its deadline; a result produced anyway has no receiver.
            if (Volatile.Read(ref _won) != 0)
            {
                await ResultDisposal.DisposeOrphanAsync(_winner).ConfigureAwait(false);
            }

            throw;
        }

        if (Volatile.Read(ref _won) != 0)
        {
            return _winner!;
        }

        throw RaceFailures.AllFailed(_failures);
    }

    /// <summary>Runs the next competitor; a child of the scope that never fails.</summary>
    private async ValueTask RunNextAsync(CancellationToken cancellationToken)
    {
        int index = Interlocked.Increment(ref _started) - 1;
        if (Volatile.Read(ref _won) != 0 || cancellationToken.IsCancellationRequested)
        {
            return; // A queued competitor whose race is already decided never starts.
        }

        TResult result;
        try
        {
            result = await _competitor(_sources[index], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RaceFailures.Record(ref _failures, _sources.Length, index, ex);
            return;
        }

        if (Interlocked.CompareExchange(ref _won, 1, 0) == 0)
        {
            _winner = result;

            // Cancel stops the losers and lets the scope end normally; the race awaits them by waiting for the scope.
            _scope.Cancel();
        }
        else
        {
            // A loser that succeeded anyway: its result has no receiver, so it is disposed before the child ends.
            await ResultDisposal.DisposeOrphanAsync(result).ConfigureAwait(false);
        }
    }
}
