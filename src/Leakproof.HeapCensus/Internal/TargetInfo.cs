namespace Leakproof.HeapCensus.Internal;

/// <summary>What is known of a live target before its dump.</summary>
/// <param name="ProcessId">The process id.</param>
/// <param name="ProcessName">The process name.</param>
internal sealed record TargetInfo(int ProcessId, string ProcessName);
