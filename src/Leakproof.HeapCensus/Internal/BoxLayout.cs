namespace Leakproof.HeapCensus.Internal;

/// <summary>The layout of one async method box type: where its state machine is.</summary>
/// <param name="StateMachineOffset">The offset of the box's <c>StateMachine</c> field.</param>
/// <param name="InlineMachine">
/// The state machine's layout when it is a struct inside the box (Release builds); <see langword="null"/> when it is
/// a separate object (Debug builds, whose box field is typed with the shared <c>System.__Canon</c>): read per instance.
/// </param>
internal sealed record BoxLayout(int StateMachineOffset, MachineLayout? InlineMachine);
