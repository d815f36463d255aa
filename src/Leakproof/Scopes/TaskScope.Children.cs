using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Scopes.Internal;
using Leakproof.Telemetry;

namespace Leakproof;

/// <content>Admission, start and completion of children; all counting happens under the lock.</content>
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

    /// <summary>Runs an admitted child's delegate and watches its task.</summary>
    internal Task StartChild(ChildEntry entry, Func<CancellationToken, ValueTask> work)
    {
        Activity? previous = BeginChild(entry);
        ValueTask pending;
        try
        {
            pending = work(CancellationToken);
        }
        catch (Exception ex)
        {
            pending = ValueTask.FromException(ex);
        }

        EndSynchronousPart(entry, previous);
        Task task = pending.IsCompletedSuccessfully ? Task.CompletedTask : pending.AsTask();
        Watch(entry, task);
        return task;
    }

    /// <summary>Runs an admitted child's delegate and watches its task.</summary>
    internal Task<TResult> StartChild<TResult>(ChildEntry entry, Func<CancellationToken, ValueTask<TResult>> work)
    {
        Activity? previous = BeginChild(entry);
        ValueTask<TResult> pending;
        try
        {
            pending = work(CancellationToken);
        }
        catch (Exception ex)
        {
            pending = ValueTask.FromException<TResult>(ex);
        }

        EndSynchronousPart(entry, previous);
        Task<TResult> task = pending.AsTask();
        Watch(entry, task);
        return task;
    }

    private Activity? BeginChild(ChildEntry entry)
    {
        entry.StartTimestamp = _timeProvider.GetTimestamp();
        LeakproofTelemetry.ChildrenStarted.Add(1, _scopeTag);
        LeakproofTelemetry.ChildrenActive.Add(1, _scopeTag);
        if (!LeakproofTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        Activity? previous = Activity.Current;
        Activity? activity = LeakproofTelemetry.ActivitySource.StartActivity(
            "leakproof.child " + (entry.Name ?? entry.CallerMemberName), ActivityKind.Internal, _activity?.Context ?? default);
        if (activity is not null)
        {
            activity.SetTag(LeakproofTelemetryConstants.ScopeNameTag, Name);
            activity.SetTag(LeakproofTelemetryConstants.ChildNameTag, entry.Name);
            activity.SetTag(LeakproofTelemetryConstants.CodeFunctionNameTag, entry.CallerMemberName);
            activity.SetTag(LeakproofTelemetryConstants.CodeFilePathTag, entry.CallerFilePath);
            activity.SetTag(LeakproofTelemetryConstants.CodeLineNumberTag, entry.CallerLineNumber);
            entry.Activity = activity;
        }

        return previous;
    }

    private static void EndSynchronousPart(ChildEntry entry, Activity? previous)
    {
        if (entry.Activity is not null)
        {
            // The child's span stays open until it completes, but the spawner's ambient span comes back now.
            Activity.Current = previous;
        }
    }

    private static void Watch(ChildEntry entry, Task task)
    {
        entry.Task = task;
        if (task.IsCompleted)
        {
            entry.OnCompleted();
        }
        else
        {
            task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(entry.OnCompleted);
        }
    }

    /// <summary>Records a finished child: telemetry, failures, the freed slot, and maybe the end of the scope.</summary>
    internal void OnChildCompleted(ChildEntry entry)
    {
        Task task = entry.Task!;
        List<Exception>? failures = ClassifyOutcome(task, out string outcome);
        ReportChildTelemetry(entry, outcome);

        QueuedChildEntry? granted;
        bool cancel;
        bool finish;
        lock (_lock)
        {
            AssertInvariants();
            UnlinkLiveLocked(entry);
            cancel = RecordFailuresLocked(failures);
            granted = ReleaseSlotLocked();
            finish = TryFinishLocked();
        }

        if (cancel)
        {
            CancelTokenSource();
        }

        granted?.OnSlotGranted();

        if (finish)
        {
            Finish();
        }
    }

    /// <summary>Sorts a finished task into success, cancellation caused by this scope, or real failures.</summary>
    /// <remarks>Reading <see cref="Task.Exception"/> marks the task's exception observed: the scope reports it.</remarks>
    private List<Exception>? ClassifyOutcome(Task task, out string outcome)
    {
        if (task.IsCompletedSuccessfully)
        {
            outcome = LeakproofTelemetryConstants.Success;
            return null;
        }

        if (task.IsCanceled)
        {
            outcome = LeakproofTelemetryConstants.Canceled;
            if (CancellationToken.IsCancellationRequested)
            {
                return null;
            }

            // Cancelled by something other than this scope: a real failure, kept with its original exception.
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException ex)
            {
                return [ex];
            }

            return [new TaskCanceledException(task)];
        }

        outcome = LeakproofTelemetryConstants.Failure;
        return FilterFailures(task.Exception!.InnerExceptions);
    }

    /// <summary>Drops the cancellations this scope caused; keeps everything else.</summary>
    private List<Exception>? FilterFailures(IReadOnlyCollection<Exception> exceptions)
    {
        List<Exception>? real = null;
        foreach (Exception ex in exceptions)
        {
            if (ex is OperationCanceledException && CancellationToken.IsCancellationRequested)
            {
                continue;
            }

            (real ??= []).Add(ex);
        }

        return real;
    }

    /// <summary>Adds real failures; in fail-fast mode the first one latches the cancellation reason.</summary>
    /// <returns><see langword="true"/> if the caller must cancel the token (after leaving the lock).</returns>
    private bool RecordFailuresLocked(List<Exception>? failures)
    {
        if (failures is null)
        {
            return false;
        }

        _failures ??= [];
        foreach (Exception failure in failures)
        {
            // A body or parent that awaits a failed child rethrows the child's own exception: one failure, not two.
            if (!_failures.Contains(failure))
            {
                _failures.Add(failure);
            }
        }

        if (FailureMode != TaskScopeFailureMode.FailFast || _cancelReason != CancelReason.None)
        {
            return false;
        }

        _cancelReason = CancelReason.Failure;
        return true;
    }

    private void ReportChildTelemetry(ChildEntry entry, string outcome)
    {
        LeakproofTelemetry.ChildrenActive.Add(-1, _scopeTag);
        LeakproofTelemetry.ChildrenCompleted.Add(1, _scopeTag, new(LeakproofTelemetryConstants.OutcomeTag, outcome));
        if (LeakproofTelemetry.ChildDuration.Enabled)
        {
            LeakproofTelemetry.ChildDuration.Record(
                _timeProvider.GetElapsedTime(entry.StartTimestamp).TotalSeconds,
                _scopeTag,
                new(LeakproofTelemetryConstants.OutcomeTag, outcome));
        }

        if (entry.Activity is { } activity)
        {
            activity.SetTag(LeakproofTelemetryConstants.OutcomeTag, outcome);
            if (outcome == LeakproofTelemetryConstants.Failure)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }

            activity.Stop();
        }
    }
}
