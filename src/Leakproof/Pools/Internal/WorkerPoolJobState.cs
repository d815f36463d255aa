namespace Leakproof.Pools.Internal;

/// <summary>Where a job is; changed only under the pool's lock.</summary>
internal enum WorkerPoolJobState
{
    /// <summary>Built, not yet submitted (its cancellation registration exists already).</summary>
    Created = 0,

    /// <summary>Waiting for room in the full queue (back-pressure).</summary>
    Waiting,

    /// <summary>In the queue, waiting for a worker.</summary>
    Queued,

    /// <summary>Taken by a worker; from here only the job's token can stop it.</summary>
    Running,

    /// <summary>Cancelled, refused, or dropped before it ran.</summary>
    Completed,
}
