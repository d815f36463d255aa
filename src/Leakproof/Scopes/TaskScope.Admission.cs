using System;
using System.Diagnostics;
using System.Threading;
using Leakproof.Scopes.Internal;

namespace Leakproof;

/// <content>Admission of children: slots, the FIFO queue of waiting spawns, and the live list.</content>
public sealed partial class TaskScope
{
    /// <summary>Admits a new child if a slot is free now; the common path, which allocates only the entry.</summary>
    /// <returns>The admitted entry, which the caller must start; <see langword="null"/> if every slot is taken.</returns>
    private ChildEntry? TryAdmitNew(string? name, string callerMemberName, string callerFilePath, int callerLineNumber)
    {
        var entry = new ChildEntry(this, name, callerMemberName, callerFilePath, callerLineNumber);
        lock (_lock)
        {
            AssertInvariants();
            ThrowIfFinishedLocked();
            if (_running >= _limit)
            {
                return null;
            }

            AdmitLocked(entry);
        }

        return entry;
    }

    /// <summary>Queues a child for a slot, or starts it here if a slot was freed since <see cref="TryAdmitNew"/>.</summary>
    private void Enqueue(QueuedChildEntry entry)
    {
        if (EnqueueOrAdmit(entry))
        {
            entry.StartNow(); // on the spawner's own thread and context
        }
    }

    /// <summary>Queues a <c>SpawnAsync</c> caller, registering its token first so a cancellation is never missed.</summary>
    private void EnqueueWaiter<TResult>(SpawnWaiterEntry<TResult> waiter, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((QueuedChildEntry)state!).Scope.AbandonSlotWait((SpawnWaiterEntry<TResult>)state!, token),
                waiter);
        }

        try
        {
            if (EnqueueOrAdmit(waiter))
            {
                waiter.StartNow();
            }
        }
        catch
        {
            waiter.Registration.Unregister();
            throw;
        }
    }

    /// <returns><see langword="true"/> if the entry was admitted instead and the caller must start it.</returns>
    private bool EnqueueOrAdmit(QueuedChildEntry entry)
    {
        bool abandoned;
        lock (_lock)
        {
            AssertInvariants();
            ThrowIfFinishedLocked();
            abandoned = entry.IsAbandoned;
            if (!abandoned)
            {
                if (_running < _limit)
                {
                    AdmitLocked(entry);
                    return true;
                }

                if (entry.IsAcceptedChild)
                {
                    _queuedSpawns++;
                }

                EnqueueLocked(entry);
            }
        }

        return false;
    }

    private void ThrowIfFinishedLocked()
    {
        if (_finished)
        {
            throw new InvalidOperationException(
                $"The task scope '{Name}' has finished, so no child can be spawned into it. " +
                "Spawn children before the scope's WaitAsync completes: from the code that owns the scope, or from its running children.");
        }
    }

    private void AdmitLocked(ChildEntry entry)
    {
        entry.IsAdmitted = true;
        _running++;
        LinkLiveLocked(entry);
    }

    private void LinkLiveLocked(ChildEntry entry)
    {
        entry.Next = _liveHead;
        if (_liveHead is not null)
        {
            _liveHead.Previous = entry;
        }

        _liveHead = entry;
    }

    private void UnlinkLiveLocked(ChildEntry entry)
    {
        if (entry.Previous is not null)
        {
            entry.Previous.Next = entry.Next;
        }
        else
        {
            Debug.Assert(_liveHead == entry, "An entry without a predecessor is the head of the live list.");
            _liveHead = entry.Next;
        }

        if (entry.Next is not null)
        {
            entry.Next.Previous = entry.Previous;
        }

        entry.Previous = entry.Next = null;
    }

    private void EnqueueLocked(ChildEntry entry)
    {
        entry.IsQueued = true;
        entry.Previous = _queueTail;
        if (_queueTail is not null)
        {
            _queueTail.Next = entry;
        }
        else
        {
            _queueHead = entry;
        }

        _queueTail = entry;
        _queueLength++;
    }

    private void RemoveQueuedLocked(ChildEntry entry)
    {
        Debug.Assert(entry.IsQueued, "Only queued entries leave the queue.");
        if (entry.Previous is not null)
        {
            entry.Previous.Next = entry.Next;
        }
        else
        {
            _queueHead = entry.Next;
        }

        if (entry.Next is not null)
        {
            entry.Next.Previous = entry.Previous;
        }
        else
        {
            _queueTail = entry.Previous;
        }

        entry.Previous = entry.Next = null;
        entry.IsQueued = false;
        _queueLength--;
    }

    /// <summary>Hands a freed slot to the oldest waiter, or frees it. The caller starts the returned waiter after the lock.</summary>
    private QueuedChildEntry? ReleaseSlotLocked()
    {
        var next = (QueuedChildEntry?)_queueHead;
        if (next is null)
        {
            _running--;
            return null;
        }

        // The slot passes straight to the waiter, so the running count does not change and nobody can overtake it.
        RemoveQueuedLocked(next);
        if (next.IsAcceptedChild)
        {
            _queuedSpawns--;
        }

        next.IsAdmitted = true;
        LinkLiveLocked(next);
        return next;
    }

    /// <summary>Ends a <c>SpawnAsync</c> wait when the caller's token is cancelled before it got a slot.</summary>
    internal void AbandonSlotWait<TResult>(SpawnWaiterEntry<TResult> waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            AssertInvariants();
            if (waiter.IsAdmitted)
            {
                return; // The slot was granted first: the caller goes on and its child runs.
            }

            if (waiter.IsQueued)
            {
                RemoveQueuedLocked(waiter);
            }
            else
            {
                // Cancelled while the waiter was being registered, before it was queued: it never will be.
                waiter.IsAbandoned = true;
            }
        }

        waiter.Abandon(cancellationToken);
    }
}
