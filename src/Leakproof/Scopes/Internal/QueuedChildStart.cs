using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Scopes.Internal;

/// <summary>
/// The deferred start of a child spawned with <c>Spawn</c> while every slot was taken: the delegate, the context
/// it was spawned in, and the placeholder task handed to the caller.
/// </summary>
internal abstract class QueuedChildStart
{
    protected QueuedChildStart(ExecutionContext? context) => Context = context;

    /// <summary>Gets the execution context captured at spawn time, so the child runs as if started then.</summary>
    public ExecutionContext? Context { get; }

    /// <summary>Gets the task handed to the caller of <c>Spawn</c>.</summary>
    public abstract Task Placeholder { get; }

    /// <summary>Runs the child's delegate now that it holds a slot, and forwards its outcome to the placeholder.</summary>
    /// <param name="scope">The owning scope.</param>
    /// <param name="entry">The child's entry.</param>
    public abstract void Start(TaskScope scope, ChildEntry entry);

    /// <summary>Marks a faulted placeholder as observed: the scope reports the failure, so the finalizer must not.</summary>
    /// <param name="task">The placeholder.</param>
    protected static void MarkObserved(Task task) => _ = task.Exception;
}
