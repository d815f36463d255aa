using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Helpers.Internal;
using Leakproof.Telemetry;

namespace Leakproof;

/// <content>Races: the first success wins, and every loser is cancelled and awaited.</content>
public sealed partial class TaskScope
{
    /// <summary>The options of a race given none: default options, with the scope named <c>race</c>.</summary>
    private static readonly TaskScopeOptions s_raceOptions = new() { Name = HelperConstants.RaceScopeName };

    /// <summary>
    /// Runs competitors concurrently in a new scope and returns the first successful result. The losers are
    /// cancelled and awaited: when the returned task completes, every competitor has finished.
    /// </summary>
    /// <typeparam name="TResult">The competitors' result type.</typeparam>
    /// <param name="competitors">The competing operations; each receives the race's token, cancelled once a
    /// competitor wins. The sequence is enumerated once, before this method returns.</param>
    /// <param name="options">The options of the race's scope (name, <see cref="TaskScopeOptions.MaxConcurrency"/>,
    /// <see cref="TaskScopeOptions.Timeout"/>, clock), or <see langword="null"/> for the defaults.
    /// <see cref="TaskScopeOptions.FailureMode"/> is ignored: a failing competitor never stops the others.</param>
    /// <param name="cancellationToken">A token whose cancellation cancels every competitor and ends the race in an
    /// <see cref="OperationCanceledException"/>.</param>
    /// <returns>The winner's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="competitors"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="competitors"/> is empty or contains <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="AggregateException">Every competitor failed; the inner exceptions are in competitor order.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before a competitor won.</exception>
    /// <exception cref="TimeoutException">The scope's <see cref="TaskScopeOptions.Timeout"/> passed before a competitor won.</exception>
    /// <remarks>
    /// <para>
    /// A loser that still produces a result (it ignored cancellation, or finished at the same time as the winner)
    /// has that result disposed if it is <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>; so is the
    /// winner's result when the race ends in an exception anyway. A loser that fails after the winner is not an
    /// error of the race: its exception is observed and dropped, and so is a failure to dispose a loser's result.
    /// </para>
    /// <para>
    /// With <see cref="TaskScopeOptions.MaxConcurrency"/> set to 1 the competitors run one after another until one
    /// succeeds (a fallback chain).
    /// </para>
    /// <para>
    /// The competitors run as children of a scope named by <paramref name="options"/> (<c>race</c> by default), with
    /// its metrics and spans. When no options are given and nobody listens to Leakproof's metrics or spans, the race
    /// runs without a scope, with the same outcomes, at the cost of a hand-written <c>Task.WhenAny</c> race.
    /// </para>
    /// </remarks>
    public static Task<TResult> RaceAsync<TResult>(
        IEnumerable<Func<CancellationToken, ValueTask<TResult>>> competitors,
        TaskScopeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Func<CancellationToken, ValueTask<TResult>>[] array = ToRaceArray(competitors, nameof(competitors));
        for (int i = 0; i < array.Length; i++)
        {
            if (array[i] is null)
            {
                throw new ArgumentException($"The race's competitor at index {i} is null.", nameof(competitors));
            }
        }

        // The compiler caches a static lambda per TResult, so this costs no allocation per race.
        return StartRace(array, static (competitor, token) => competitor(token), options, cancellationToken);
    }

    /// <summary>
    /// Runs one operation on each input concurrently in a new scope and returns the first successful result (Go's
    /// first-response-wins <c>queryAll</c> over replicas). The losers are cancelled and awaited.
    /// </summary>
    /// <typeparam name="TSource">The type of the inputs, such as a replica's address.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="sources">One input per competitor. The sequence is enumerated once, before this method returns.</param>
    /// <param name="competitor">The operation each competitor runs on its input, with the race's token. Pass a
    /// <see langword="static"/> lambda to race without any allocation per competitor beyond the scope's own.</param>
    /// <param name="options">The options of the race's scope, or <see langword="null"/> for the defaults.
    /// <see cref="TaskScopeOptions.FailureMode"/> is ignored.</param>
    /// <param name="cancellationToken">A token whose cancellation cancels every competitor and ends the race in an
    /// <see cref="OperationCanceledException"/>.</param>
    /// <returns>The winner's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sources"/> or <paramref name="competitor"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sources"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="AggregateException">Every competitor failed; the inner exceptions are in input order.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before a competitor won.</exception>
    /// <exception cref="TimeoutException">The scope's <see cref="TaskScopeOptions.Timeout"/> passed before a competitor won.</exception>
    /// <remarks>The losers' results and failures are handled as in
    /// <see cref="RaceAsync{TResult}(IEnumerable{Func{CancellationToken, ValueTask{TResult}}}, TaskScopeOptions?, CancellationToken)"/>.</remarks>
    public static Task<TResult> RaceAsync<TSource, TResult>(
        IEnumerable<TSource> sources,
        Func<TSource, CancellationToken, ValueTask<TResult>> competitor,
        TaskScopeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        TSource[] array = ToRaceArray(sources, nameof(sources));
        ArgumentNullException.ThrowIfNull(competitor);
        return StartRace(array, competitor, options, cancellationToken);
    }

    private static T[] ToRaceArray<T>(IEnumerable<T> items, string paramName)
    {
        ArgumentNullException.ThrowIfNull(items, paramName);

        // Always a copy: the race reads it while competitors start, so the caller's collection may change meanwhile.
        T[] array = [.. items];
        if (array.Length == 0)
        {
            throw new ArgumentException("A race needs at least one competitor.", paramName);
        }

        return array;
    }

    private static Task<TResult> StartRace<TSource, TResult>(
        TSource[] sources,
        Func<TSource, CancellationToken, ValueTask<TResult>> competitor,
        TaskScopeOptions? options,
        CancellationToken cancellationToken)
    {
        if (options is null && !IsTelemetryObserved())
        {
            // Nothing could tell a scope from its absence here (no name, limit or deadline; nobody listening to
            // child metrics or spans), so the race skips the scope and costs what a hand-written WhenAny race does.
            return new DirectRace<TSource, TResult>(sources, competitor, cancellationToken).Start();
        }

        // Created here, not in the async method, so invalid options throw to the caller instead of faulting the task.
        TaskScope scope = Create(options ?? s_raceOptions, cancellationToken);
        return new ScopedRace<TSource, TResult>(scope, sources, competitor).RunAsync();
    }

    /// <summary>Tells whether anyone listens to what a scope reports about its children.</summary>
    private static bool IsTelemetryObserved() =>
        LeakproofTelemetry.ActivitySource.HasListeners()
        || LeakproofTelemetry.ChildrenStarted.Enabled
        || LeakproofTelemetry.ChildrenCompleted.Enabled
        || LeakproofTelemetry.ChildrenActive.Enabled
        || LeakproofTelemetry.ChildDuration.Enabled;
}
