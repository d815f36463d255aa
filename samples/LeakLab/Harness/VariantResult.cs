namespace LeakLab.Harness;

/// <summary>What one variant left behind after its caller returned.</summary>
public sealed record VariantResult(
    string Scenario,
    string Variant,
    string Incident,
    int StillRunning,
    int BlockedWriters,
    int Timers,
    int UnobservedExceptions,
    string? Error)
{
    /// <summary>Gets everything left behind: work still running (blocked writers included), timers and unobserved exceptions.</summary>
    public int Leaks => StillRunning + Timers + UnobservedExceptions;
}
