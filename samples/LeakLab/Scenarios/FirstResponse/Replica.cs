namespace LeakLab.Scenarios.FirstResponse;

/// <summary>Three replicas of a service; one answers fast, the others are slow.</summary>
internal static class Replica
{
    public static readonly string[] All = ["replica-fast", "replica-slow-1", "replica-slow-2"];

    public static TimeSpan Latency(string replica) =>
        replica == "replica-fast" ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromSeconds(30);
}
