namespace Leakproof.Tests.Helpers;

/// <summary>Bounds that turn a hang (a broken helper waiting forever) into a failure; never timing assertions.</summary>
public static class TestTimeouts
{
    /// <summary>Milliseconds an async test may take before it counts as hung.</summary>
    public const int HangGuard = 60_000;
}
