using System;
using System.Threading;

namespace Leakproof.Testing.Internal;

/// <summary>The owner token that flows with the execution context from <see cref="LeakGuard.Start(LeakGuardOptions?)"/> into all work it starts.</summary>
internal static class GuardOwner
{
    /// <summary>The current guard's id on this logical flow.</summary>
    private static readonly AsyncLocal<string?> s_current = new();

    /// <summary>The last id handed out.</summary>
    private static int s_lastId;

    /// <summary>Gets the probe the census runs inside each operation's context.</summary>
    public static Func<string?> Probe { get; } = static () => s_current.Value;

    /// <summary>Gets the id of the guard on the current flow, or <see langword="null"/>.</summary>
    public static string? Current => s_current.Value;

    /// <summary>Creates a fresh id.</summary>
    /// <returns>The id.</returns>
    public static string NextId() => "leakguard-" + Interlocked.Increment(ref s_lastId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Makes <paramref name="id"/> the owner of the current flow.</summary>
    /// <param name="id">The guard's id, or <see langword="null"/> to clear it.</param>
    public static void Set(string? id) => s_current.Value = id;
}
