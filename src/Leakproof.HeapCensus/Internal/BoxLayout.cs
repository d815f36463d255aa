using Microsoft.Diagnostics.Runtime;

namespace Leakproof.HeapCensus.Internal;

/// <summary>The layout of one async method box type: where its state machine, await state and awaiters are.</summary>
/// <param name="Machine">The compiler-generated state machine type.</param>
/// <param name="MachineName">The state machine's type name.</param>
/// <param name="MachineIsValueType">Whether the state machine is a struct inside the box (Release) or a separate object (Debug).</param>
/// <param name="StateMachineOffset">The offset of the box's <c>StateMachine</c> field.</param>
/// <param name="StateOffset">The offset of <c>&lt;&gt;1__state</c> in the state machine, or -1 when missing.</param>
/// <param name="AwaiterTargetOffsets">For each awaiter field, the offset in the state machine of the reference to what it awaits.</param>
/// <param name="ModulePath">The file of the module that defines the state machine, or <see langword="null"/>.</param>
/// <param name="MoveNextToken">The metadata token of <c>MoveNext</c>, or 0 when unknown.</param>
internal sealed record BoxLayout(
    ClrType Machine,
    string MachineName,
    bool MachineIsValueType,
    int StateMachineOffset,
    int StateOffset,
    int[] AwaiterTargetOffsets,
    string? ModulePath,
    int MoveNextToken);
