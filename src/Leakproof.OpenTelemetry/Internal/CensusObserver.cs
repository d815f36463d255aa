using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading;
using Leakproof.Census;

namespace Leakproof.OpenTelemetry.Internal;

/// <summary>
/// Turns census captures into measurements. One capture serves both instruments of a collection: it is reused for
/// <see cref="ReuseFor"/>. The abandoned counter is cumulative: the census keeps only its newest 1,000 abandoned
/// methods, so each capture counts the entries after the newest one already counted.
/// </summary>
internal sealed class CensusObserver
{
    /// <summary>How long a capture is reused: the gauge and the counter of one collection share it.</summary>
    public static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(1);

    /// <summary>How the capture is taken: no async stacks and no PDB reads, only counts are needed.</summary>
    private static readonly CensusCaptureOptions s_captureOptions = new() { IncludeAsyncStacks = false, ResolveSourceLines = false };

    /// <summary>Serializes captures (collections may run on several threads); guards the fields below.</summary>
    private readonly Lock _lock = new();

    /// <summary>Reads the census, or returns <see langword="null"/> while it is not enabled.</summary>
    private readonly Func<CensusSnapshot?> _read;

    /// <summary>The clock that ages the reused capture.</summary>
    private readonly TimeProvider _timeProvider;

    /// <summary>The last capture, or <see langword="null"/> before the first.</summary>
    private CensusSnapshot? _last;

    /// <summary>The timestamp of <see cref="_last"/>.</summary>
    private long _lastTimestamp;

    /// <summary>The newest abandoned method already counted, or <see langword="null"/>.</summary>
    private AbandonedOperation? _newestCounted;

    /// <summary>Abandoned methods counted so far.</summary>
    private long _abandonedTotal;

    public CensusObserver(Func<CensusSnapshot?> read, TimeProvider timeProvider)
    {
        _read = read;
        _timeProvider = timeProvider;
    }

    /// <summary>Reads the process-wide census without stacks or source lines.</summary>
    /// <returns>The capture, or <see langword="null"/> while the census is not enabled.</returns>
    public static CensusSnapshot? ReadLiveCensus() => AsyncCensus.IsEnabled ? AsyncCensus.Capture(s_captureOptions) : null;

    /// <summary>Observes the pending operations by kind.</summary>
    /// <returns>One measurement per kind present, none while the census is off.</returns>
    public IEnumerable<Measurement<int>> ObservePending()
    {
        if (Refresh() is not { } snapshot)
        {
            return [];
        }

        var counts = new SortedDictionary<PendingOperationKind, int>();
        foreach (PendingOperation operation in snapshot.Operations)
        {
            counts[operation.Kind] = counts.GetValueOrDefault(operation.Kind) + 1;
        }

        var measurements = new List<Measurement<int>>(counts.Count);
        foreach ((PendingOperationKind kind, int count) in counts)
        {
            measurements.Add(new Measurement<int>(count, new KeyValuePair<string, object?>(InstrumentationNames.KindTag, KindName(kind))));
        }

        return measurements;
    }

    /// <summary>Observes the abandoned methods counted so far.</summary>
    /// <returns>The running total, none while the census is off.</returns>
    public IEnumerable<Measurement<long>> ObserveAbandoned()
    {
        if (Refresh() is null)
        {
            return [];
        }

        lock (_lock)
        {
            return [new Measurement<long>(_abandonedTotal)];
        }
    }

    /// <summary>Gets the stable, snake_case tag value of a kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The tag value.</returns>
    internal static string KindName(PendingOperationKind kind) => kind switch
    {
        PendingOperationKind.AsyncMethod => "async_method",
        PendingOperationKind.Delay => "delay",
        PendingOperationKind.TaskRun => "task_run",
        PendingOperationKind.TaskCompletionSource => "task_completion_source",
        PendingOperationKind.SemaphoreWait => "semaphore_wait",
        PendingOperationKind.ChannelOperation => "channel_operation",
        PendingOperationKind.WhenAllOrAny => "when_all_or_any",
        PendingOperationKind.ScopeChild => "scope_child",
        _ => "other",
    };

    private static bool SameOperation(AbandonedOperation a, AbandonedOperation b) =>
        a.Id == b.Id && a.DetectedAt == b.DetectedAt && a.Method == b.Method && a.Description == b.Description;

    private CensusSnapshot? Refresh()
    {
        lock (_lock)
        {
            long now = _timeProvider.GetTimestamp();
            if (_last is not null && _timeProvider.GetElapsedTime(_lastTimestamp, now) < ReuseFor)
            {
                return _last;
            }

            if (_read() is not { } snapshot)
            {
                return null;
            }

            CountAbandoned(snapshot.Abandoned);
            _last = snapshot;
            _lastTimestamp = now;
            return snapshot;
        }
    }

    private void CountAbandoned(IReadOnlyList<AbandonedOperation> abandoned)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread, "Counting reads and writes the running total.");

        // Entries are oldest first; the new ones follow the newest one counted. When that one has been dropped from
        // the census's memory (over 1,000 found between two collections), every entry is new: an undercount, never a
        // double count.
        int firstNew = 0;
        if (_newestCounted is not null)
        {
            for (int i = abandoned.Count - 1; i >= 0; i--)
            {
                if (SameOperation(abandoned[i], _newestCounted))
                {
                    firstNew = i + 1;
                    break;
                }
            }
        }

        _abandonedTotal += abandoned.Count - firstNew;
        if (abandoned.Count > 0)
        {
            _newestCounted = abandoned[^1];
        }
    }
}
