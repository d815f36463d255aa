using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Census.Sources;

/// <summary>
/// A task the registry source took over from the runtime's registry. It is held weakly, so a pending method that
/// becomes unreachable can be collected and reported as abandoned instead of being kept alive by the census.
/// </summary>
internal sealed class TrackedTask
{
    public TrackedTask(Task task, long firstSeen, long sequence)
    {
        Id = task.Id;
        Sequence = sequence;
        _handle = GCHandle.Alloc(task, GCHandleType.Weak);
        FirstSeen = firstSeen;
    }

    /// <summary>Gets the takeover sequence number: tasks taken over later have larger ones (never 0).</summary>
    public long Sequence { get; }

    /// <summary>Gets the task id.</summary>
    public int Id { get; }

    /// <summary>A weak handle to the task; a handle rather than a <see cref="WeakReference{T}"/>, which is finalizable
    /// and costs the collector dearly when 100k tasks are tracked. Freed by <see cref="Release"/>.</summary>
    private GCHandle _handle;

    /// <summary>Gets the timestamp at which the census first saw the task.</summary>
    public long FirstSeen { get; }

    /// <summary>Gets the task, or <see langword="null"/> once it was collected (or the handle released).</summary>
    public Task? Target => _handle.IsAllocated ? _handle.Target as Task : null;

    /// <summary>Frees the weak handle; called once, under the source's lock, when the entry leaves the table.</summary>
    public void Release()
    {
        if (_handle.IsAllocated)
        {
            _handle.Free();
        }
    }

    /// <summary>Gets or sets the creation context recorded by the last capture (for the owner of an abandoned promise).</summary>
    public ExecutionContext? CreationContext { get; set; }

    /// <summary>Gets or sets the creation stack recorded by the last capture.</summary>
    public string? CreationStack { get; set; }
}
