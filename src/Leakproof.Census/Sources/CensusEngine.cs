using System;
using System.Collections.Generic;
using System.Threading;
using Leakproof.Census.Analysis;
using Leakproof.Scopes.Internal;

namespace Leakproof.Census.Sources;

/// <summary>
/// Owns one source, the task-event listener and the abandonment bookkeeping, and turns each capture into a
/// <see cref="CensusSnapshot"/>. The process-wide instance lives in <see cref="AsyncCensus"/>; tests build others.
/// </summary>
internal sealed class CensusEngine : IDisposable
{
    /// <summary>The most abandoned methods remembered.</summary>
    private const int MaxAbandoned = 1_000;

    /// <summary>Captures after which a collected task with no abandonment report is taken as completed-then-collected.</summary>
    private const int MaxDeadCaptures = 3;

    /// <summary>Serializes captures; guards the abandonment state.</summary>
    private readonly Lock _lock = new();

    /// <summary>The task-event listener (fallback source, creation data, abandonment).</summary>
    private readonly TplListener _listener;

    /// <summary>Warnings every snapshot repeats (a missing runtime field).</summary>
    private readonly List<string> _warnings = [];

    /// <summary>Collected tasks waiting for an abandonment report.</summary>
    private readonly List<TrackedTask> _dead = [];

    /// <summary>Abandoned methods found so far, oldest first.</summary>
    private readonly List<AbandonedOperation> _abandoned = [];

    public CensusEngine(RuntimeFields fields, CensusOptions options)
    {
        TimeProvider = options.TimeProvider;
        Inspector = new TaskInspector(fields);
        _listener = new TplListener(TimeProvider);
        ScopeRegistry.Enable();
        if (fields.HasRegistry)
        {
            Source = new RuntimeRegistrySource(fields, TimeProvider);
        }
        else
        {
            Source = new EventSourceSource(_listener);
            _warnings.Add(
                $"The runtime's active-task registry is unavailable ({string.Join(", ", fields.Missing)} missing or of an unexpected type); " +
                "the census falls back to TplEventSource events: async methods show their name only (no type, await line or stack) and " +
                "promises they await (TaskCompletionSource, SemaphoreSlim, channels) are not listed.");
        }

        Widen(options);
    }

    /// <summary>Gets the clock for ages and capture times.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the source of pending operations.</summary>
    public IPendingWorkSource Source { get; }

    /// <summary>Gets the task reader.</summary>
    public TaskInspector Inspector { get; }

    /// <summary>Gets the task-event listener.</summary>
    public TplListener Listener => _listener;

    /// <summary>Creates the process-wide engine on the running runtime.</summary>
    /// <param name="options">What to track.</param>
    /// <returns>The engine.</returns>
    public static CensusEngine CreateDefault(CensusOptions options) => new(RuntimeFields.Current, options);

    /// <summary>Widens what is tracked.</summary>
    /// <param name="options">What to track.</param>
    public void Widen(CensusOptions options)
    {
        _listener.Configure(keepAll: false, options.CaptureCreationStacks, options.TrackCreationContext, options.TrackAbandoned);
        if (!_listener.SourceFound && (options.CaptureCreationStacks || options.TrackCreationContext || options.TrackAbandoned))
        {
            lock (_lock)
            {
                const string Warning = "TplEventSource was not found: creation stacks, creation contexts and abandoned methods are not reported.";
                if (!_warnings.Contains(Warning))
                {
                    _warnings.Add(Warning);
                }
            }
        }
    }

    /// <summary>Takes a census.</summary>
    /// <param name="options">How to capture.</param>
    /// <returns>The census.</returns>
    public CensusSnapshot Capture(CensusCaptureOptions options)
    {
        var raw = new List<RawOperation>();
        var collected = new List<TrackedTask>();
        lock (_lock)
        {
            Source.Collect(raw, collected);
            AttachCreationData(raw);
            _dead.AddRange(collected);
            MatchAbandoned(options);
            var builder = new CensusBuilder(this, options);
            return builder.Build(raw, [.. _warnings], [.. _abandoned]);
        }
    }

    /// <summary>Finds the context a faulted task completed in, or the context it captured.</summary>
    /// <param name="task">The faulted task.</param>
    /// <returns>The context, or <see langword="null"/>.</returns>
    public ExecutionContext? FindFaultContext(System.Threading.Tasks.Task task) =>
        _listener.TakeFaultedContext(task.Id) ?? Inspector.Fields.ReadContext(task);

    /// <inheritdoc/>
    public void Dispose()
    {
        Source.Dispose();
        _listener.Dispose();
    }

    private void AttachCreationData(List<RawOperation> raw)
    {
        foreach (RawOperation operation in raw)
        {
            if (operation.Task is null || _listener.FindBegun((int)operation.Id) is not { } begun)
            {
                continue;
            }

            operation.CreationContext ??= begun.Context;
            operation.CreationStack ??= begun.Stack ?? operation.Tracking?.CreationStack;
            if (operation.Tracking is not null && begun.Stack is not null)
            {
                operation.Tracking.CreationStack = begun.Stack;
            }
        }
    }

    private void MatchAbandoned(CensusCaptureOptions options)
    {
        var reports = new List<AbandonedReport>();
        _listener.TakeAbandoned(reports);
        foreach (AbandonedReport report in reports)
        {
            TrackedTask? match = TakeDeadMatch(report);
            Type? type = match?.StateMachineType;
            int? state = report.State ?? match?.State;
            CensusFrame? site = type is null ? null : CensusBuilder.BuildSite(type, state, options.ResolveSourceLines);
            string? owner = match?.Context is { } context ? OwnerReader.Read(context, options.OwnerProbe) : null;
            if (_abandoned.Count == MaxAbandoned)
            {
                _abandoned.RemoveAt(0);
            }

            _abandoned.Add(new AbandonedOperation
            {
                Id = match?.Id,
                DetectedAt = report.DetectedAt,
                Method = type is null ? StateMachineNames.MemberName(report.TypeName[(report.TypeName.LastIndexOf('+') + 1)..]) : StateMachineNames.MethodName(type),
                AwaitSite = site,
                Description = report.Description,
                Owner = owner,
            });
        }

        // A collected task without a report completed before it was collected (or was no async method).
        _dead.RemoveAll(static t => ++t.DeadCaptures > MaxDeadCaptures);
    }

    private TrackedTask? TakeDeadMatch(AbandonedReport report)
    {
        string typeName = report.TypeName;
        int? state = report.State;
        int best = -1;
        for (int i = 0; i < _dead.Count; i++)
        {
            if (_dead[i].StateMachineType?.FullName != typeName)
            {
                continue;
            }

            best = i;
            if (_dead[i].State == state)
            {
                break;
            }
        }

        if (best < 0)
        {
            return null;
        }

        TrackedTask match = _dead[best];
        _dead.RemoveAt(best);
        return match;
    }
}
