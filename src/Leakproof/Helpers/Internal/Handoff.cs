using System;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Helpers.Internal;

/// <summary>
/// A result handoff between a worker (a child of a scope) and a caller that may give up: the task handed to the
/// caller, the worker's own token, and the one-way switch that decides whether the result is delivered or orphaned.
/// </summary>
/// <typeparam name="TResult">The worker's result type.</typeparam>
/// <remarks>
/// The promise is a buffered one-slot handoff: completing it never waits for the caller (continuations run
/// asynchronously), so the worker can always finish. <see cref="_state"/> moves once, from pending to delivered (the
/// worker finished first) or to abandoned (the caller gave up first); whoever loses that race knows it, so a result
/// produced after the caller left is disposed rather than dropped.
/// </remarks>
internal sealed class Handoff<TResult> : TaskCompletionSource<TResult>
{
    /// <summary>Neither side has decided yet.</summary>
    private const int Pending = 0;

    /// <summary>The worker finished first: the caller receives its outcome.</summary>
    private const int Delivered = 1;

    /// <summary>The caller gave up first: a result is orphaned and disposed.</summary>
    private const int Abandoned = 2;

    /// <summary>The worker's operation.</summary>
    private readonly Func<CancellationToken, ValueTask<TResult>> _work;

    /// <summary>The worker's own token source, linked to the scope's token; cancelled when the caller gives up.</summary>
    private readonly CancellationTokenSource _workerSource;

    /// <summary>The caller's token.</summary>
    private readonly CancellationToken _callerToken;

    /// <summary>Registration on the caller's token; disposed when the worker ends (or was never started).</summary>
    private CancellationTokenRegistration _callerRegistration;

    /// <summary><see cref="Pending"/>, <see cref="Delivered"/> or <see cref="Abandoned"/>; changes once.</summary>
    private int _state;

    public Handoff(Func<CancellationToken, ValueTask<TResult>> work, CancellationToken scopeToken, CancellationToken callerToken)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _work = work;
        _callerToken = callerToken;
        _workerSource = CancellationTokenSource.CreateLinkedTokenSource(scopeToken);
    }

    /// <summary>Listens to the caller's token; done before the worker is spawned, so a caller waiting for a queued
    /// worker can give up too.</summary>
    public void Arm() =>
        _callerRegistration = _callerToken.UnsafeRegister(static state => ((Handoff<TResult>)state!).Abandon(), this);

    /// <summary>Releases the registration and the token source; for a worker that was never spawned.</summary>
    public void Release()
    {
        _callerRegistration.Dispose();
        _workerSource.Dispose();
    }

    /// <summary>Runs the worker as a child of the scope (the scope's token is not used: the worker's own is linked to it).</summary>
    public async ValueTask RunAsync(CancellationToken scopeToken)
    {
        _ = scopeToken;
        try
        {
            if (Volatile.Read(ref _state) == Abandoned)
            {
                return; // A queued worker whose caller left before it got a slot: nobody wants its result.
            }

            TResult result = await _work(_workerSource.Token).ConfigureAwait(false);
            if (Interlocked.CompareExchange(ref _state, Delivered, Pending) == Pending)
            {
                TrySetResult(result);
            }
            else
            {
                await ResultDisposal.DisposeOrphanAsync(result).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (Volatile.Read(ref _state) == Abandoned)
        {
            // Cancelled because its caller gave up: the scope asked for nothing, so this is not a failure of the scope.
        }
        catch (Exception ex)
        {
            if (Interlocked.CompareExchange(ref _state, Delivered, Pending) == Pending)
            {
                if (ex is OperationCanceledException canceled)
                {
                    TrySetCanceled(canceled.CancellationToken);
                }
                else
                {
                    TrySetException(ex);
                }
            }

            throw; // The scope reports the failure too, so it is never unobserved, even if the caller left.
        }
        finally
        {
            Release();
        }
    }

    /// <summary>The caller gave up: it gets an <see cref="OperationCanceledException"/> at once and the worker is cancelled.</summary>
    private void Abandon()
    {
        if (Interlocked.CompareExchange(ref _state, Abandoned, Pending) != Pending)
        {
            return; // The result (or failure) was delivered first.
        }

        TrySetCanceled(_callerToken);
        try
        {
            _workerSource.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The worker ended meanwhile and released its source; there is nothing left to cancel.
        }
    }
}
