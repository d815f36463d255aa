using Microsoft.Diagnostics.Runtime;

namespace Leakproof.HeapCensus.Internal;

/// <summary>The layout of one compiler-generated state machine type: where its await state and awaiters are.</summary>
/// <param name="Machine">The state machine type.</param>
/// <param name="Name">The state machine's type name.</param>
/// <param name="StateOffset">The offset of <c>&lt;&gt;1__state</c>, or -1 when missing.</param>
/// <param name="AwaiterTargetOffsets">For each awaiter field, the offset of the reference to what it awaits.</param>
/// <param name="ModulePath">The file of the module that defines the state machine, or <see langword="null"/>.</param>
/// <param name="MoveNextToken">The metadata token of <c>MoveNext</c>, or 0 when unknown.</param>
internal sealed record MachineLayout(ClrType Machine, string Name, int StateOffset, int[] AwaiterTargetOffsets, string? ModulePath, int MoveNextToken);
