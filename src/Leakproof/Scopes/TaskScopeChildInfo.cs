using System;
using System.Threading.Tasks;
using Leakproof.Scopes.Internal;

namespace Leakproof;

/// <summary>
/// Describes a running child of a <see cref="TaskScope"/>: what it is, where it was spawned, and how long it has run.
/// </summary>
public sealed class TaskScopeChildInfo
{
    internal TaskScopeChildInfo(TaskScope scope, ChildEntry entry, DateTimeOffset startTime, TimeSpan age)
    {
        Scope = scope;
        Name = entry.Name;
        CallerMemberName = entry.CallerMemberName;
        CallerFilePath = entry.CallerFilePath;
        CallerLineNumber = entry.CallerLineNumber;
        Task = entry.Task;
        StartTime = startTime;
        Age = age;
    }

    /// <summary>Gets the scope that owns the child.</summary>
    public TaskScope Scope { get; }

    /// <summary>Gets the name given when the child was spawned, or <see langword="null"/>.</summary>
    public string? Name { get; }

    /// <summary>Gets the member that spawned the child.</summary>
    public string CallerMemberName { get; }

    /// <summary>Gets the source file that spawned the child.</summary>
    public string CallerFilePath { get; }

    /// <summary>Gets the source line that spawned the child.</summary>
    public int CallerLineNumber { get; }

    /// <summary>Gets the child's task, or <see langword="null"/> while its delegate has not yet returned one.</summary>
    public Task? Task { get; }

    /// <summary>Gets when the child's delegate started.</summary>
    public DateTimeOffset StartTime { get; }

    /// <summary>Gets how long the child had run when the snapshot was taken.</summary>
    public TimeSpan Age { get; }

    /// <summary>Returns the child's name and spawn site, as <c>name at file:line (member)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"{Name ?? "child"} at {CallerFilePath}:{CallerLineNumber} ({CallerMemberName}), running {Age}";
}
