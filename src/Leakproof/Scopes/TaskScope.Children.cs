using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Scopes.Internal;
using Leakproof.Telemetry;

namespace Leakproof;

/// <content>Starting children and recording how they ended; all counting happens under the lock.</content>
public sealed partial class TaskScope
{
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
