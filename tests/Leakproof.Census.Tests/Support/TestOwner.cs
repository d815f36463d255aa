using System;
using System.Threading;

namespace Leakproof.Census.Tests.Support;

/// <summary>Tags the operations a test starts, so tests running in parallel read only their own from the census.</summary>
internal static class TestOwner
{
    private static readonly AsyncLocal<string?> s_owner = new();

    private static int s_next;

    public static Func<string?> Probe { get; } = static () => s_owner.Value;

    /// <summary>Sets a fresh owner on the current flow and returns it.</summary>
    public static string Begin()
    {
        string owner = "test-" + Interlocked.Increment(ref s_next);
        s_owner.Value = owner;
        return owner;
    }

    public static CensusCaptureOptions Capture() => new() { OwnerProbe = Probe };
}
