namespace Leakproof.Helpers.Internal;

/// <summary>Names the helpers give to the scopes and children they create (seen in the census, metrics and traces).</summary>
internal static class HelperConstants
{
    /// <summary>The name of the scope a race creates when it is given no options.</summary>
    public const string RaceScopeName = "race";

    /// <summary>The name of each race competitor.</summary>
    public const string RaceCompetitorName = "race.competitor";

    /// <summary>The name of the scope <c>WithTimeoutAsync</c> creates.</summary>
    public const string TimeoutScopeName = "timeout";

    /// <summary>The name of the work <c>WithTimeoutAsync</c> runs.</summary>
    public const string TimeoutWorkName = "timeout.work";

    /// <summary>The name of a handoff worker spawned without one.</summary>
    public const string HandoffWorkerName = "handoff.worker";
}
