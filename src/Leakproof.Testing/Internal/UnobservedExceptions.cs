using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census.Analysis;
using Leakproof.Census.Sources;

namespace Leakproof.Testing.Internal;

/// <summary>
/// Collects <see cref="TaskScheduler.UnobservedTaskException"/> events, each with the owner read from the failed task's
/// context, so each guard takes only its own. Subscribed once, on the first guard.
/// </summary>
internal static class UnobservedExceptions
{
    /// <summary>The most unclaimed exceptions kept.</summary>
    private const int MaxKept = 1_000;

    /// <summary>Guards the one-time subscription.</summary>
    private static readonly Lock s_gate = new();

    /// <summary>Exceptions not yet claimed by a guard, with their owner.</summary>
    private static readonly ConcurrentQueue<(string? Owner, long Sequence, Exception Exception)> s_pending = new();

    /// <summary>The engine used to find a faulted task's context.</summary>
    private static CensusEngine? s_engine;

    /// <summary>A counter that orders events, so a guard can skip those raised before it started.</summary>
    private static long s_sequence;

    /// <summary>Gets the current sequence number.</summary>
    public static long Sequence => Interlocked.Read(ref s_sequence);

    /// <summary>Subscribes once.</summary>
    /// <param name="engine">The census engine.</param>
    public static void EnsureSubscribed(CensusEngine engine)
    {
        lock (s_gate)
        {
            if (s_engine is null)
            {
                s_engine = engine;
                TaskScheduler.UnobservedTaskException += OnUnobserved;
            }
        }
    }

    /// <summary>Takes the exceptions owned by <paramref name="owner"/> (or, with <see langword="null"/>, every one) raised after <paramref name="since"/>.</summary>
    /// <param name="owner">The guard's id, or <see langword="null"/> for all.</param>
    /// <param name="since">The sequence number when the guard started.</param>
    /// <param name="owned">Receives the guard's exceptions.</param>
    /// <param name="unowned">Receives exceptions with no owner raised since the guard started (left in place for others).</param>
    public static void Take(string? owner, long since, List<Exception> owned, List<Exception> unowned)
    {
        int count = s_pending.Count;
        for (int i = 0; i < count && s_pending.TryDequeue(out (string? Owner, long Sequence, Exception Exception) item); i++)
        {
            if (item.Sequence > since && (owner is null || item.Owner == owner))
            {
                owned.Add(item.Exception);
                continue;
            }

            if (item.Owner is null && item.Sequence > since)
            {
                unowned.Add(item.Exception);
            }

            if (s_pending.Count < MaxKept)
            {
                s_pending.Enqueue(item); // Another guard's, or unowned: keep it for them.
            }
        }
    }

    private static void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        string? owner = null;
        if (sender is Task task && s_engine is { } engine)
        {
            owner = OwnerReader.Read(engine.FindFaultContext(task), GuardOwner.Probe);
        }

        s_pending.Enqueue((owner, Interlocked.Increment(ref s_sequence), e.Exception));
    }
}
