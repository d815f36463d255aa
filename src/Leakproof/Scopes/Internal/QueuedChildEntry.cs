using System.Runtime.CompilerServices;
using System.Threading;

namespace Leakproof.Scopes.Internal;

/// <summary>
/// A child that could not start at once because every slot was taken: it waits in the scope's FIFO queue and is
/// started by whichever thread frees a slot, in the execution context it was spawned in.
/// </summary>
internal abstract class QueuedChildEntry : ChildEntry, IThreadPoolWorkItem
{
    protected QueuedChildEntry(TaskScope scope, string? name, string callerMemberName, string callerFilePath, int callerLineNumber)
        : base(scope, name, callerMemberName, callerFilePath, callerLineNumber)
        => Context = ExecutionContext.Capture();

    /// <summary>Gets the execution context captured at spawn time, so the child runs as if started then.</summary>
    public ExecutionContext? Context { get; }

    /// <summary>Gets a value indicating whether the entry is an accepted child (<c>Spawn</c>) rather than a caller
    /// waiting for a slot (<c>SpawnAsync</c>): accepted children keep the scope from finishing while they wait.</summary>
    public abstract bool IsAcceptedChild { get; }

    /// <summary>Gets or sets a value indicating whether a <c>SpawnAsync</c> caller gave up before the entry was queued (guarded by the scope's lock).</summary>
    public bool IsAbandoned { get; set; }

    /// <summary>Starts the child now that it holds a slot; runs outside the scope's lock.</summary>
    public void OnSlotGranted()
    {
        // Starting inline saves a thread-pool hop, but a chain of children that complete synchronously would nest
        // one start inside another: past a safe depth, continue on the thread pool.
        if (RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            RunInContext();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
    }

    /// <inheritdoc/>
    void IThreadPoolWorkItem.Execute() => RunInContext();

    /// <summary>Runs the child's delegate (the entry already holds a slot and is linked as running).</summary>
    public abstract void StartNow();

    private void RunInContext()
    {
        if (Context is null)
        {
            StartNow();
        }
        else
        {
            ExecutionContext.Run(Context, static state => ((QueuedChildEntry)state!).StartNow(), this);
        }
    }
}
