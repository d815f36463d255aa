namespace Leakproof.HeapCensus.Internal;

/// <summary>The state machine of one async method box in the dump.</summary>
/// <param name="Data">The address of the state machine's fields.</param>
/// <param name="Layout">The state machine's layout.</param>
internal readonly record struct BoxMachine(ulong Data, MachineLayout Layout);
