using System;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Census.Sources;

/// <summary>
/// A task the registry source took over from the runtime's registry. It is held weakly, so a pending method that
/// becomes unreachable can be collected and reported as abandoned instead of being kept alive by the census.
/// </summary>
internal sealed class TrackedTask
{
    public TrackedTask(Task task, long firstSeen)
    {
        Id = task.Id;
        Reference = new WeakReference<Task>(task);
        FirstSeen = firstSeen;
    }

    /// <summary>Gets the task id.</summary>
    public int Id { get; }

    /// <summary>Gets the weak reference to the task.</summary>
    public WeakReference<Task> Reference { get; }

    /// <summary>Gets the timestamp at which the census first saw the task.</summary>
    public long FirstSeen { get; }

    /// <summary>Gets or sets the creation context recorded by the last capture (for the owner of an abandoned promise).</summary>
    public ExecutionContext? CreationContext { get; set; }

    /// <summary>Gets or sets the creation stack recorded by the last capture.</summary>
    public string? CreationStack { get; set; }
}
