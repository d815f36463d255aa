using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Channels.Internal;

/// <summary>
/// Disposes the items a channel will never deliver (drained on close, or dropped when full), and tracks the
/// disposals that complete asynchronously so the channel's completion can wait for them.
/// </summary>
internal sealed class UndeliveredItems
{
    /// <summary>Guards the fields below; never held while an item's dispose method runs.</summary>
    private readonly Lock _lock = new();

    /// <summary>Drains in progress plus asynchronous disposals not yet finished.</summary>
    private int _pending;

    /// <summary>Failures of disposals, in the order they were observed.</summary>
    private List<Exception>? _failures;

    /// <summary>Completed when <see cref="_pending"/> returns to zero; created only if someone waits meanwhile.</summary>
    private TaskCompletionSource? _idle;

    /// <summary>Gets the failures so far, or <see langword="null"/> if every disposal succeeded.</summary>
    public IReadOnlyList<Exception>? Failures
    {
        get
        {
            lock (_lock)
            {
                return _failures?.ToArray();
            }
        }
    }

    /// <summary>Marks a drain in progress, so <see cref="WhenIdleAsync"/> cannot complete before it ends.</summary>
    public void Enter()
    {
        lock (_lock)
        {
            AssertInvariants();
            _pending++;
        }
    }

    /// <summary>Ends what <see cref="Enter"/> began.</summary>
    public void Exit()
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            AssertInvariants();
            if (--_pending == 0)
            {
                idle = _idle;
                _idle = null;
            }
        }

        idle?.TrySetResult();
    }

    /// <summary>Disposes an undelivered item, preferring <see cref="IDisposable"/> (it finishes here and now).</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="item">The item.</param>
    public void Dispose<T>(T item)
    {
        Debug.Assert(!_lock.IsHeldByCurrentThread, "An item's dispose method is user code and must not run under the lock.");
        try
        {
            if (item is IDisposable disposable)
            {
                disposable.Dispose();
            }
            else if (item is IAsyncDisposable asyncDisposable)
            {
                ValueTask disposal = asyncDisposable.DisposeAsync();
                if (disposal.IsCompleted)
                {
                    disposal.GetAwaiter().GetResult();
                }
                else
                {
                    Enter();
                    _ = AwaitDisposalAsync(disposal); // tracked by _pending; never throws
                }
            }
        }
        catch (Exception ex)
        {
            AddFailure(ex);
        }
    }

    /// <summary>Waits until no drain or asynchronous disposal is in progress.</summary>
    /// <returns>A task that completes when idle.</returns>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            AssertInvariants();
            return _pending == 0
                ? Task.CompletedTask
                : (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    private async Task AwaitDisposalAsync(ValueTask disposal)
    {
        try
        {
            await disposal.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AddFailure(ex);
        }
        finally
        {
            Exit();
        }
    }

    private void AddFailure(Exception exception)
    {
        lock (_lock)
        {
            AssertInvariants();
            (_failures ??= []).Add(exception);
        }
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread, "Invariants are checked under the lock.");
        Debug.Assert(_pending >= 0, "Exit is never called more often than Enter.");
        Debug.Assert(_idle is null || _pending > 0, "Nobody waits for idleness while idle.");
    }
}
