using System;

namespace Leakproof.Census.Analysis;

/// <summary>Reads the operation names of the runtime's task events (<c>Async: &lt;Run&gt;d__3</c>, <c>Task.Delay</c>).</summary>
internal static class EventNames
{
    /// <summary>Builds the facts the fallback source can know from a name.</summary>
    /// <param name="name">The operation name, or <see langword="null"/>.</param>
    /// <returns>The facts.</returns>
    public static TaskFacts Facts(string? name)
    {
        name ??= string.Empty;
        if (name.StartsWith("Async: ", StringComparison.Ordinal))
        {
            return new TaskFacts(PendingOperationKind.AsyncMethod, StateMachineNames.MemberName(name["Async: ".Length..]), null, null, null);
        }

        if (name.StartsWith("Task: ", StringComparison.Ordinal))
        {
            return new TaskFacts(PendingOperationKind.TaskRun, "Task.Run " + StateMachineNames.MemberName(name["Task: ".Length..]), null, null, null);
        }

        PendingOperationKind kind = name switch
        {
            "Task.Delay" => PendingOperationKind.Delay,
            "Task.WhenAll" or "Task.WhenAny" => PendingOperationKind.WhenAllOrAny,
            "Task.Unwrap" => PendingOperationKind.TaskRun,
            _ => PendingOperationKind.Other,
        };
        return new TaskFacts(kind, name, null, null, null);
    }
}
