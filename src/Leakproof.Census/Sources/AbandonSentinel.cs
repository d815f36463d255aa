using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;

namespace Leakproof.Census.Sources;

/// <summary>
/// Finds out, exactly, that a tracked task was collected while pending. It is the value of a
/// <see cref="System.Runtime.CompilerServices.ConditionalWeakTable{TKey, TValue}"/> keyed by the task, so it does not
/// keep the task alive; when the task becomes unreachable both are finalizable together, and the finalizer still sees
/// the task: if it never completed, it was abandoned (its <c>finally</c> blocks will never run).
/// </summary>
internal sealed class AbandonSentinel
{
    /// <summary>The tracked task's entry.</summary>
    private readonly TrackedTask _tracked;

    /// <summary>The task; reachable only through the table's ephemeron, so it does not keep itself alive.</summary>
    private readonly Task _task;

    /// <summary>Where abandoned tasks are reported; drained by the next capture.</summary>
    private readonly ConcurrentQueue<RawOperation> _abandoned;

    public AbandonSentinel(TrackedTask tracked, Task task, ConcurrentQueue<RawOperation> abandoned)
    {
        _tracked = tracked;
        _task = task;
        _abandoned = abandoned;
    }

    /// <summary>Disarms the sentinel once its task completed; its finalizer then has nothing to do.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA1816:Dispose methods should call SuppressFinalize", Justification = "The sentinel is no disposable: disarming is its whole purpose.")]
    public void Disarm() => GC.SuppressFinalize(this);

    /// <summary>
    /// Finalizes an instance of the <see cref="AbandonSentinel"/> class.
    /// </summary>
    /// <remarks>Reports the task if it is still pending.</remarks>
    ~AbandonSentinel()
    {
        if (!_task.IsCompleted)
        {
            _abandoned.Enqueue(new RawOperation { Id = _tracked.Id, Task = _task, FirstSeen = _tracked.FirstSeen, Tracking = _tracked });
        }
    }
}
