using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace Leakproof.Scopes.Internal;

/// <summary>
/// One child of a <see cref="TaskScope"/>: what it is, where it was spawned, and the links that put it in the
/// scope's live list or slot queue. Its <see cref="OnCompleted"/> is the continuation that reports the child's end.
/// </summary>
/// <remarks>Kept small on purpose: every child pays for every field. State that only queued children need lives in
/// <see cref="QueuedChildEntry"/>.</remarks>
internal class ChildEntry
{
    public ChildEntry(TaskScope scope, string? name, string callerMemberName, string callerFilePath, int callerLineNumber)
    {
        Scope = scope;
        Name = name;
        CallerMemberName = callerMemberName;
        CallerFilePath = callerFilePath;
        CallerLineNumber = callerLineNumber;
    }

    /// <summary>Gets the scope that owns the child.</summary>
    public TaskScope Scope { get; }

    /// <summary>Gets the name given at spawn time.</summary>
    public string? Name { get; }

    /// <summary>Gets the member that spawned the child.</summary>
    public string CallerMemberName { get; }

    /// <summary>Gets the source file that spawned the child.</summary>
    public string CallerFilePath { get; }

    /// <summary>Gets the source line that spawned the child.</summary>
    public int CallerLineNumber { get; }

    /// <summary>Gets or sets a value indicating whether the entry waits in the slot queue (guarded by the scope's lock).</summary>
    public bool IsQueued { get; set; }

    /// <summary>Gets or sets a value indicating whether the child holds a slot (guarded by the scope's lock).</summary>
    public bool IsAdmitted { get; set; }

    /// <summary>Gets or sets the <see cref="TimeProvider"/> timestamp at which the child's delegate started.</summary>
    public long StartTimestamp { get; set; }

    /// <summary>Gets or sets the child's task once its delegate has returned.</summary>
    public Task? Task { get; set; }

    /// <summary>Gets or sets the previous entry in the live list or slot queue (guarded by the scope's lock).</summary>
    public ChildEntry? Previous { get; set; }

    /// <summary>Gets or sets the next entry in the live list or slot queue (guarded by the scope's lock).</summary>
    public ChildEntry? Next { get; set; }

    /// <summary>Gets or sets the span of the child, when tracing is listened to.</summary>
    public Activity? Activity { get; set; }

    /// <summary>Reports the child's completion to its scope; used as the task continuation.</summary>
    public void OnCompleted() => Scope.OnChildCompleted(this);
}
