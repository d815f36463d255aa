using System;

namespace Leakproof.Census.Analysis;

/// <summary>What the inspector read from one task.</summary>
/// <param name="Kind">The operation's kind.</param>
/// <param name="Description">The method of an async method, otherwise a short type description.</param>
/// <param name="StateMachineType">The state machine type of an async method box.</param>
/// <param name="State">The await state of an async method (-1 while it runs).</param>
/// <param name="Awaited">What an async method awaits: a task, an <c>IValueTaskSource</c>, or an unknown awaiter.</param>
internal sealed record TaskFacts(PendingOperationKind Kind, string Description, Type? StateMachineType, int? State, object? Awaited)
{
    /// <summary>Gets a value indicating whether this is an async method executing now rather than parked at an await.</summary>
    public bool IsRunning => StateMachineType is not null && State is < 0;
}
