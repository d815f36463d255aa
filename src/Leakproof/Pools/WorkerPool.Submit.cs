using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Pools.Internal;
using Leakproof.Telemetry;

namespace Leakproof;

/// <content>Submitting jobs: hand-off to an idle worker, the bounded queue, waiting for room, and refusal.</content>
public sealed partial class WorkerPool<TJob, TResult>
{
    /// <summary>
    /// Submits a job and returns a task with its result. When the queue is full the job waits for room or is refused,
    /// as <see cref="WorkerPoolOptions.FullMode"/> says.
    /// </summary>
    /// <param name="job">The job's input.</param>
    /// <param name="cancellationToken">Cancels the job: while it waits it is removed and its task ends cancelled;
    /// once it runs, the token passed to the handler is cancelled.</param>
    /// <returns>A task that completes with the job's result, failure or cancellation.</returns>
    /// <exception cref="WorkerPoolFullException">The pool is in <see cref="WorkerPoolFullMode.Reject"/> mode and its queue is full.</exception>
    /// <exception cref="InvalidOperationException"><see cref="CompleteAsync"/> was called.</exception>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    /// <remarks>In <see cref="WorkerPoolFullMode.Wait"/> mode the returned task includes the wait for room. A
    /// producer that submits many jobs without awaiting each result should use <see cref="EnqueueAsync"/>, which
    /// completes once the job is queued, so that the waiting jobs cannot pile up.</remarks>
    public Task<TResult> RunAsync(TJob job, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        WorkerPoolJob<TJob, TResult> item = CreateJob(job, cancellationToken);
        if (!Submit(item, mayWait: _fullMode == WorkerPoolFullMode.Wait, signalAdmission: false))
        {
            throw Rejected();
        }

        return item.Task;
    }

    /// <summary>
    /// Submits a job and waits only until it is accepted: handed to a worker or queued (back-pressure for producers).
    /// </summary>
    /// <param name="job">The job's input.</param>
    /// <param name="cancellationToken">Cancels the wait for room and the job itself, as for <see cref="RunAsync"/>.</param>
    /// <returns>A task that completes once the job is accepted, with the task of the job's result.</returns>
    /// <exception cref="WorkerPoolFullException">The pool is in <see cref="WorkerPoolFullMode.Reject"/> mode and its queue is full.</exception>
    /// <exception cref="InvalidOperationException"><see cref="CompleteAsync"/> was called.</exception>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled, or the pool
    /// was disposed, while the job waited for room.</exception>
    public ValueTask<Task<TResult>> EnqueueAsync(TJob job, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<Task<TResult>>(cancellationToken);
        }

        WorkerPoolJob<TJob, TResult> item = CreateJob(job, cancellationToken);
        if (!Submit(item, mayWait: _fullMode == WorkerPoolFullMode.Wait, signalAdmission: true))
        {
            throw Rejected();
        }

        return item.Admitted is { } admitted ? WaitForAdmissionAsync(admitted.Task, item.Task) : new(item.Task);
    }

    /// <summary>
    /// Submits a job only if a worker is idle or the queue has room; never waits.
    /// </summary>
    /// <param name="job">The job's input.</param>
    /// <param name="result">The task of the job's result, or <see langword="null"/> when the pool was full.</param>
    /// <returns><see langword="true"/> if the job was accepted; <see langword="false"/> if the pool was full.</returns>
    /// <exception cref="InvalidOperationException"><see cref="CompleteAsync"/> was called.</exception>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    public bool TryRun(TJob job, [NotNullWhen(true)] out Task<TResult>? result)
    {
        WorkerPoolJob<TJob, TResult> item = CreateJob(job, CancellationToken.None);
        if (!Submit(item, mayWait: false, signalAdmission: false))
        {
            LeakproofTelemetry.PoolRejected.Add(1, _poolTag);
            result = null;
            return false;
        }

        result = item.Task;
        return true;
    }

    private static async ValueTask<Task<TResult>> WaitForAdmissionAsync(Task admitted, Task<TResult> result)
    {
        await admitted.ConfigureAwait(false);
        return result;
    }

    private WorkerPoolFullException Rejected()
    {
        LeakproofTelemetry.PoolRejected.Add(1, _poolTag);
        return new WorkerPoolFullException(Name, _capacity);
    }

    /// <summary>Builds a job, starts the workers on first use, and registers the caller's token before anyone can see the job.</summary>
    private WorkerPoolJob<TJob, TResult> CreateJob(TJob job, CancellationToken cancellationToken)
    {
        EnsureWorkers();
        var item = new WorkerPoolJob<TJob, TResult>(this, job, cancellationToken);
        if (cancellationToken.CanBeCanceled)
        {
            item.Registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((WorkerPoolJob<TJob, TResult>)state!).Pool.OnJobCanceled((WorkerPoolJob<TJob, TResult>)state!, token),
                item);
        }

        return item;
    }

    /// <summary>Spawns the workers once; their first step only registers them as idle, so no user code runs here.</summary>
    private void EnsureWorkers()
    {
        if (Volatile.Read(ref _workersStarted))
        {
            return;
        }

        lock (_startLock)
        {
            if (_workersStarted)
            {
                return;
            }

            // Set first, so a re-entrant call (from a telemetry listener during Spawn) does not spawn twice.
            _workersStarted = true;

            // Workers live as long as the pool: they must not carry the first submitter's execution context
            // (its AsyncLocals, its Activity) into every later job.
            using (ExecutionContext.SuppressFlow())
            {
                for (int i = 1; i <= _workerCount; i++)
                {
                    _scope.Spawn(WorkAsync, $"{Name} worker {i}", _callerMemberName, _callerFilePath, _callerLineNumber);
                }
            }
        }
    }

    /// <summary>Hands a job to an idle worker, queues it, or makes it wait for room.</summary>
    /// <returns><see langword="false"/> if the queue was full and the job may not wait (the job is dropped).</returns>
    private bool Submit(WorkerPoolJob<TJob, TResult> item, bool mayWait, bool signalAdmission)
    {
        TaskCompletionSource<WorkerPoolJob<TJob, TResult>?>? worker = null;
        WorkerPoolState state;
        bool full = false;
        bool queued = false;
        lock (_lock)
        {
            AssertInvariants();
            if (item.State == WorkerPoolJobState.Completed)
            {
                return true; // The caller's token fired during registration; the job's task is already cancelled.
            }

            state = _state;
            if (state != WorkerPoolState.Open)
            {
                item.State = WorkerPoolJobState.Completed;
            }
            else if (_idleWorkers.TryPop(out worker))
            {
                item.State = WorkerPoolJobState.Running;
            }
            else if (_queue.Count < _capacity)
            {
                item.State = WorkerPoolJobState.Queued;
                _queue.AddLast(item);
                queued = true;
            }
            else if (mayWait)
            {
                item.State = WorkerPoolJobState.Waiting;
                _waiting.AddLast(item);
                if (signalAdmission)
                {
                    item.Admitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
            else
            {
                item.State = WorkerPoolJobState.Completed;
                full = true;
            }
        }

        if (state != WorkerPoolState.Open || full)
        {
            item.Registration.Dispose();
            ThrowIfClosed(state);
            return false;
        }

        if (queued)
        {
            LeakproofTelemetry.PoolQueueLength.Add(1, _poolTag);
        }

        // Outside the lock: the worker resumes asynchronously (its completion source runs continuations on the pool).
        worker?.TrySetResult(item);
        return true;
    }

    private void ThrowIfClosed(WorkerPoolState state)
    {
        if (state == WorkerPoolState.Disposed)
        {
            throw new ObjectDisposedException(GetType().Name, $"The worker pool '{Name}' was disposed and accepts no jobs.");
        }

        if (state == WorkerPoolState.Completing)
        {
            throw new InvalidOperationException($"The worker pool '{Name}' was completed (CompleteAsync) and accepts no new jobs.");
        }
    }
}
