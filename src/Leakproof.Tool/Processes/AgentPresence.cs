namespace Leakproof.Tool.Processes;

/// <summary>Whether a process runs the Leakproof agent.</summary>
internal enum AgentPresence
{
    Unknown,
    No,
    Yes,
}
