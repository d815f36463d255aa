using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Helpers.Internal;

/// <summary>
/// A race without a <see cref="TaskScope"/>: the same outcome rules as <see cref="ScopedRace{TSource, TResult}"/>
/// for a race with default options, at the cost of a hand-written <c>WhenAny</c> race. Used only when nobody could
/// tell the difference: no options were given and no Leakproof metric or trace listener is attached.
/// </summary>
/// <typeparam name="TSource">The input each competitor receives.</typeparam>
/// <typeparam name="TResult">The competitors' result type.</typeparam>
/// <remarks>
/// <para>
/// The race is its own promise. <see cref="_pending"/> counts the running competitors plus one for the starter, so
/// the race cannot complete while competitors are still being started; whoever brings it to zero completes the
/// promise, after every competitor has finished.
/// </para>
/// <para>
/// <see cref="_state"/> moves once from <see cref="Running"/>: to <see cref="Won"/> (a competitor succeeded), to
/// <see cref="Canceled"/> (the external token fired first), or to <see cref="AllFailed"/> (the last competitor ended
/// without either). That single switch is what makes a success racing an external cancellation come out as one of
/// the two, never both, exactly as the first-latched cancel reason does in a scope.
/// </para>
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The race disposes its token source itself, once every competitor has finished.")]
internal sealed class DirectRace<TSource, TResult> : TaskCompletionSource<TResult>
{
    /// <summary>No competitor has won and nothing cancelled the race.</summary>
    private const int Running = 0;

    /// <summary>A competitor succeeded first.</summary>
    private const int Won = 1;

    /// <summary>The external token fired before any competitor won.</summary>
    private const int Canceled = 2;

    /// <summary>Every competitor ended without a success or a cancellation.</summary>
    private const int AllFailed = 3;

    /// <summary>The competitors' inputs, one per competitor, in the caller's order.</summary>
    private readonly TSource[] _sources;

    /// <summary>The operation each competitor runs on its input.</summary>
    private readonly Func<TSource, CancellationToken, ValueTask<TResult>> _competitor;

    /// <summary>The competitors' token; cancelled by the winner or the external token. Disposed on completion.</summary>
    private readonly CancellationTokenSource _source = new();

    /// <summary>The caller's token.</summary>
    private readonly CancellationToken _externalToken;

    /// <summary>Registration on <see cref="_externalToken"/>; disposed on completion.</summary>
    private CancellationTokenRegistration _externalRegistration;

    /// <summary>Competitors not yet finished, plus one for the starter until every competitor has started.</summary>
    private int _pending;

    /// <summary><see cref="Running"/>, <see cref="Won"/>, <see cref="Canceled"/> or <see cref="AllFailed"/>; changes once.</summary>
    private int _state;

    /// <summary>The winner's result; written by the winner before it leaves <see cref="_pending"/>.</summary>
    private TResult? _winner;

    /// <summary>Each competitor's failure at its index; created by the first failure.</summary>
    private Exception?[]? _failures;

    /// <summary>Failures of callbacks registered on the competitors' token, thrown when the winner cancelled it.</summary>
    private AggregateException? _cancelFailure;

    public DirectRace(TSource[] sources, Func<TSource, CancellationToken, ValueTask<TResult>> competitor, CancellationToken cancellationToken)
    {
        Debug.Assert(sources.Length > 0, "A race has at least one competitor.");
        _sources = sources;
        _competitor = competitor;
        _externalToken = cancellationToken;
        _pending = sources.Length + 1;
    }

    /// <summary>Starts every competitor.</summary>
    /// <returns>The race's task.</returns>
    public Task<TResult> Start()
    {
        if (_externalToken.CanBeCanceled)
        {
            _externalRegistration = _externalToken.UnsafeRegister(static state => ((DirectRace<TSource, TResult>)state!).OnExternalCancel(), this);
        }

        for (int i = 0; i < _sources.Length; i++)
        {
            if (Volatile.Read(ref _state) != Running)
            {
                // Decided already (a synchronous winner, or cancelled): the rest never start, and never count.
                Interlocked.Add(ref _pending, -(_sources.Length - i));
                break;
            }

            // The task is not lost: the competitor reports its end through _pending, and never throws.
#pragma warning disable LEAK1001 // Each competitor reports its end through _pending and never throws; the race awaits them all.
            _ = RunAsync(i);
#pragma warning restore LEAK1001
        }

        Leave();
        return Task;
    }

    private async Task RunAsync(int index)
    {
        try
        {
            TResult result = await _competitor(_sources[index], _source.Token).ConfigureAwait(false);
            if (Interlocked.CompareExchange(ref _state, Won, Running) == Running)
            {
                _winner = result;
                CancelCompetitors();
            }
            else
            {
                await ResultDisposal.DisposeOrphanAsync(result).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            RaceFailures.Record(ref _failures, _sources.Length, index, ex);
        }

        Leave();
    }

    private void CancelCompetitors()
    {
        try
        {
            _source.Cancel();
        }
        catch (AggregateException ex)
        {
            // A callback registered on the competitors' token threw: a real failure, as it would be in a scope.
            _cancelFailure = ex;
        }
    }

    private void OnExternalCancel()
    {
        if (Interlocked.CompareExchange(ref _state, Canceled, Running) == Running)
        {
            // The race cannot complete before this returns: Complete disposes this registration, which waits for it.
            CancelCompetitors();
        }
    }

    private void Leave()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
#pragma warning disable LEAK1001 // CompleteAsync never throws; it completes the race's own task.
            _ = CompleteAsync();
#pragma warning restore LEAK1001
        }
    }

    /// <summary>Completes the race once every competitor has finished; never throws.</summary>
    private async Task CompleteAsync()
    {
        // Waits for an external-cancellation callback already running, so the state is final after it.
        await _externalRegistration.DisposeAsync().ConfigureAwait(false);
        _source.Dispose();
        int state = Interlocked.CompareExchange(ref _state, AllFailed, Running);
        if (state == Won && _cancelFailure is null)
        {
            TrySetResult(_winner!);
            return;
        }

        if (state == Won)
        {
            await ResultDisposal.DisposeOrphanAsync(_winner).ConfigureAwait(false);
            TrySetException(_cancelFailure!.InnerExceptions.Count == 1 ? _cancelFailure.InnerExceptions[0] : _cancelFailure);
        }
        else if (state == Canceled)
        {
            TrySetCanceled(_externalToken);
        }
        else
        {
            TrySetException(RaceFailures.AllFailed(_failures));
        }
    }
}
