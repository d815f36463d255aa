using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Pools.Internal;
using Leakproof.Telemetry;

namespace Leakproof;

/// <content>The workers, cancellation of waiting jobs, and the end of the pool.</content>
public sealed partial class WorkerPool<TJob, TResult>
{
    /// <summary>
    /// Stops accepting jobs, lets the queued and waiting jobs run, and waits for every worker to finish.
    /// </summary>
    /// <returns>A task that completes when every accepted job has ended and the workers have exited.</returns>
    /// <remarks>Submitting after this call throws <see cref="InvalidOperationException"/>. Calling it again waits again.</remarks>
    public Task CompleteAsync()
    {
        MarkWorkersStarted();
        TaskCompletionSource<WorkerPoolJob<TJob, TResult>?>[]? idle = null;
        lock (_lock)
        {
            AssertInvariants();
            if (_state == WorkerPoolState.Open)
            {
                _state = WorkerPoolState.Completing;

                // Idle workers exist only while the queue is empty, so they have nothing left to drain.
                idle = TakeIdleWorkersLocked();
            }
        }

        ReleaseIdleWorkers(idle);
        return _scope.WaitAsync();
    }

    /// <summary>
    /// Stops accepting jobs, cancels queued and waiting jobs (their tasks end cancelled), cancels the token of running
    /// jobs, and waits for every worker to finish.
    /// </summary>
    /// <returns>A task that completes when the workers have exited.</returns>
    /// <remarks>A running job whose handler ignores its token holds up the dispose until it ends: no job outlives the pool.</remarks>
    public async ValueTask DisposeAsync()
    {
        MarkWorkersStarted();
        List<WorkerPoolJob<TJob, TResult>>? dropped = null;
        TaskCompletionSource<WorkerPoolJob<TJob, TResult>?>[]? idle = null;
        int unqueued = 0;
        lock (_lock)
        {
            AssertInvariants();
            if (_state != WorkerPoolState.Disposed)
            {
                _state = WorkerPoolState.Disposed;
                unqueued = _queue.Count;
                dropped = new List<WorkerPoolJob<TJob, TResult>>(_queue.Count + _waiting.Count);
                _queue.MoveAllTo(dropped);
                _waiting.MoveAllTo(dropped);
                foreach (WorkerPoolJob<TJob, TResult> job in dropped)
                {
                    job.State = WorkerPoolJobState.Completed;
                }

                idle = TakeIdleWorkersLocked();
            }
        }

        if (unqueued != 0)
        {
            LeakproofTelemetry.PoolQueueLength.Add(-unqueued, _poolTag);
        }

        if (dropped is not null)
        {
            foreach (WorkerPoolJob<TJob, TResult> job in dropped)
            {
                job.Registration.Dispose();
                job.TrySetCanceled();
                job.Admitted?.TrySetCanceled();
            }
        }

        ReleaseIdleWorkers(idle);
        _scope.Cancel();
        await _scope.WaitAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the door on lazy worker start: after this no worker can be spawned, so the scope may finish.</summary>
    private void MarkWorkersStarted()
    {
        lock (_startLock)
        {
            _workersStarted = true;
        }
    }

    private TaskCompletionSource<WorkerPoolJob<TJob, TResult>?>[] TakeIdleWorkersLocked()
    {
        TaskCompletionSource<WorkerPoolJob<TJob, TResult>?>[] idle = _idleWorkers.ToArray();
        _idleWorkers.Clear();
        return idle;
    }

    private static void ReleaseIdleWorkers(TaskCompletionSource<WorkerPoolJob<TJob, TResult>?>[]? idle)
    {
        if (idle is null)
        {
            return;
        }

        foreach (TaskCompletionSource<WorkerPoolJob<TJob, TResult>?> worker in idle)
        {
            worker.TrySetResult(null);
        }
    }

    /// <summary>A worker: takes one job at a time until the pool closes and nothing is left for it.</summary>
    private async ValueTask WorkAsync(CancellationToken scopeToken)
    {
        while (true)
        {
            WorkerPoolJob<TJob, TResult>? job = TakeNext(out Task<WorkerPoolJob<TJob, TResult>?>? handoff);
            if (handoff is not null)
            {
                job = await handoff.ConfigureAwait(false);
            }

            if (job is null)
            {
                return;
            }

            await RunJobAsync(job, scopeToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes the oldest queued job and lets the oldest waiting job into the queue; or registers the worker as idle.</summary>
    /// <returns>The job to run, or <see langword="null"/> with <paramref name="handoff"/> set (wait for a job) or not (exit).</returns>
    private WorkerPoolJob<TJob, TResult>? TakeNext(out Task<WorkerPoolJob<TJob, TResult>?>? handoff)
    {
        handoff = null;
        WorkerPoolJob<TJob, TResult>? next = null;
        WorkerPoolJob<TJob, TResult>? promoted = null;
        lock (_lock)
        {
            AssertInvariants();
            if (_queue.First is { } first)
            {
                _queue.Remove(first);
                next = first;
                next.State = WorkerPoolJobState.Running;
                promoted = PromoteWaitingLocked();
            }
            else if (_state == WorkerPoolState.Open)
            {
                var idle = new TaskCompletionSource<WorkerPoolJob<TJob, TResult>?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _idleWorkers.Push(idle);
                handoff = idle.Task;
            }
        }

        if (next is not null && promoted is null)
        {
            LeakproofTelemetry.PoolQueueLength.Add(-1, _poolTag);
        }

        promoted?.Admitted?.TrySetResult();
        return next;
    }

    /// <summary>Moves the oldest job waiting for room into the queue, which has just lost a job.</summary>
    private WorkerPoolJob<TJob, TResult>? PromoteWaitingLocked()
    {
        if (_waiting.First is not { } job)
        {
            return null;
        }

        _waiting.Remove(job);
        _queue.AddLast(job);
        job.State = WorkerPoolJobState.Queued;
        return job;
    }

    /// <summary>Runs the handler; the job's task gets its result, failure or cancellation. Never throws.</summary>
    private async ValueTask RunJobAsync(WorkerPoolJob<TJob, TResult> job, CancellationToken scopeToken)
    {
        // Only callers with a cancellable token pay for a linked source.
        CancellationTokenSource? linked = job.CallerToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(scopeToken, job.CallerToken)
            : null;
        CancellationToken token = linked?.Token ?? scopeToken;
        try
        {
            TResult result = await _handler(job.Job, token).ConfigureAwait(false);
            job.TrySetResult(result);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            job.TrySetCanceled(job.CallerToken.IsCancellationRequested ? job.CallerToken : scopeToken);
        }
        catch (Exception ex)
        {
            job.TrySetException(ex);
        }
        finally
        {
            await job.Registration.DisposeAsync().ConfigureAwait(false);
            linked?.Dispose();
        }
    }

    /// <summary>Removes a job whose caller's token was cancelled before it ran; a running job sees its token instead.</summary>
    private void OnJobCanceled(WorkerPoolJob<TJob, TResult> job, CancellationToken cancellationToken)
    {
        bool removed = false;
        bool unqueued = false;
        WorkerPoolJob<TJob, TResult>? promoted = null;
        lock (_lock)
        {
            AssertInvariants();
            switch (job.State)
            {
                case WorkerPoolJobState.Created:
                    removed = true;
                    break;
                case WorkerPoolJobState.Waiting:
                    _waiting.Remove(job);
                    removed = true;
                    break;
                case WorkerPoolJobState.Queued:
                    _queue.Remove(job);
                    promoted = PromoteWaitingLocked();
                    removed = true;
                    unqueued = promoted is null;
                    break;
            }

            if (removed)
            {
                job.State = WorkerPoolJobState.Completed;
            }
        }

        if (unqueued)
        {
            LeakproofTelemetry.PoolQueueLength.Add(-1, _poolTag);
        }

        if (removed)
        {
            job.TrySetCanceled(cancellationToken);
            job.Admitted?.TrySetCanceled(cancellationToken);
        }

        promoted?.Admitted?.TrySetResult();
    }
}
