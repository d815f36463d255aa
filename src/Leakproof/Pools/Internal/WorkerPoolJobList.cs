using System.Collections.Generic;
using System.Diagnostics;

namespace Leakproof.Pools.Internal;

/// <summary>
/// A FIFO of jobs linked through the jobs themselves, so queueing allocates nothing and a cancelled job leaves
/// from the middle in O(1). Not thread-safe: the pool's lock guards it.
/// </summary>
/// <typeparam name="TJob">The job's input type.</typeparam>
/// <typeparam name="TResult">The job's result type.</typeparam>
internal sealed class WorkerPoolJobList<TJob, TResult>
{
    /// <summary>The oldest job.</summary>
    private WorkerPoolJob<TJob, TResult>? _head;

    /// <summary>The newest job.</summary>
    private WorkerPoolJob<TJob, TResult>? _tail;

    /// <summary>Gets the number of jobs in the list.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the oldest job, or <see langword="null"/>.</summary>
    public WorkerPoolJob<TJob, TResult>? First => _head;

    public void AddLast(WorkerPoolJob<TJob, TResult> job)
    {
        Debug.Assert(job.Previous is null && job.Next is null && _head != job, "A job is in at most one list, once.");
        job.Previous = _tail;
        if (_tail is null)
        {
            _head = job;
        }
        else
        {
            _tail.Next = job;
        }

        _tail = job;
        Count++;
    }

    public void Remove(WorkerPoolJob<TJob, TResult> job)
    {
        if (job.Previous is null)
        {
            Debug.Assert(_head == job, "A job without a predecessor is the head.");
            _head = job.Next;
        }
        else
        {
            job.Previous.Next = job.Next;
        }

        if (job.Next is null)
        {
            Debug.Assert(_tail == job, "A job without a successor is the tail.");
            _tail = job.Previous;
        }
        else
        {
            job.Next.Previous = job.Previous;
        }

        job.Previous = job.Next = null;
        Count--;
    }

    /// <summary>Removes every job, adding them to <paramref name="removed"/> oldest first.</summary>
    public void MoveAllTo(List<WorkerPoolJob<TJob, TResult>> removed)
    {
        while (_head is { } job)
        {
            Remove(job);
            removed.Add(job);
        }
    }
}
