namespace Leakproof;

/// <summary>
/// Specifies what <see cref="WorkerPool{TJob, TResult}.RunAsync"/> does when every worker is busy and the queue is full.
/// </summary>
public enum WorkerPoolFullMode
{
    /// <summary>The job waits for room in the queue (back-pressure); the caller's token cancels the wait.</summary>
    Wait = 0,

    /// <summary>The job is refused with a <see cref="WorkerPoolFullException"/> (the HTTP 429 shape).</summary>
    Reject = 1,
}
