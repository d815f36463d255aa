using System.Collections.Concurrent;
using System.Collections.Generic;

namespace Leakproof.Scopes.Internal;

/// <summary>
/// Lists the live task scopes so the census can read their children (creation site, owning scope, age).
/// Off by default: until the census switches it on, registering costs one volatile read.
/// </summary>
internal static class ScopeRegistry
{
    /// <summary>The live scopes; a concurrent set keeps registration lock-free for unrelated scopes.</summary>
    private static readonly ConcurrentDictionary<TaskScope, byte> s_scopes = new(ReferenceEqualityComparer.Instance);

    /// <summary>Set once by the census; never cleared, so a scope registered is always unregistered.</summary>
    private static volatile bool s_enabled;

    /// <summary>Gets a value indicating whether scopes are being registered.</summary>
    public static bool IsEnabled => s_enabled;

    /// <summary>Switches registration on for scopes created from now on.</summary>
    public static void Enable() => s_enabled = true;

    /// <summary>Registers a scope when the registry is on.</summary>
    /// <param name="scope">The scope being armed.</param>
    public static void Register(TaskScope scope)
    {
        if (s_enabled)
        {
            s_scopes.TryAdd(scope, 0);
        }
    }

    /// <summary>Unregisters a finished scope (a no-op when it was never registered).</summary>
    /// <param name="scope">The scope that finished.</param>
    public static void Unregister(TaskScope scope)
    {
        if (s_enabled)
        {
            s_scopes.TryRemove(scope, out _);
        }
    }

    /// <summary>Takes a snapshot of the live scopes.</summary>
    /// <returns>The scopes registered and not yet finished.</returns>
    public static IReadOnlyList<TaskScope> GetLiveScopes()
    {
        var scopes = new List<TaskScope>(s_scopes.Count);
        foreach (KeyValuePair<TaskScope, byte> pair in s_scopes)
        {
            scopes.Add(pair.Key);
        }

        return scopes;
    }
}
