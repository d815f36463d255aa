namespace Leakproof.Pools.Internal;

/// <summary>The life cycle of a worker pool; it only moves forward.</summary>
internal enum WorkerPoolState
{
    /// <summary>Accepting jobs.</summary>
    Open = 0,

    /// <summary><c>CompleteAsync</c> was called: no new jobs; queued and waiting jobs still run.</summary>
    Completing,

    /// <summary>Disposed: queued and waiting jobs were cancelled, running jobs are being cancelled.</summary>
    Disposed,
}
