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

    /// <summary>Serializes captures; guards the abandonment state.</summary>
    private readonly Lock _lock = new();

    /// <summary>The task-event listener (fallback source, creation data, abandonment events).</summary>
    private readonly TplListener _listener;

    /// <summary>Warnings every snapshot repeats (a missing runtime field).</summary>
    private readonly List<string> _warnings = [];

    /// <summary>Abandoned methods found so far, oldest first, each with the context its owner is read from.</summary>
    private readonly List<(AbandonedOperation Operation, ExecutionContext? Context)> _abandoned = [];

    /// <summary>The sequence number of the last abandoned method found.</summary>
    private long _abandonedSequence;

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
        _listener.Configure(keepAll: false, options.CaptureCreationStacks, options.TrackCreationContext, abandoned: false);
        if (options.TrackAbandoned)
        {
            Source.TrackAbandoned();
        }

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
        var abandoned = new List<RawOperation>();
        lock (_lock)
        {
            if (options.After > 0 && Source is RuntimeRegistrySource registry)
            {
                registry.Collect(raw, abandoned, options.After);
            }
            else
            {
                Source.Collect(raw, abandoned);
            }

            AttachCreationData(raw);
            RecordAbandoned(abandoned);
            var owned = new List<AbandonedOperation>(_abandoned.Count);
            foreach ((AbandonedOperation operation, ExecutionContext? context) in _abandoned)
            {
                // The owner is read per capture, with this capture's probe.
                owned.Add(context is null || options.OwnerProbe is null ? operation : WithOwner(operation, OwnerReader.Read(context, options.OwnerProbe)));
            }

            var builder = new CensusBuilder(this, options);
            return builder.Build(raw, [.. _warnings], owned);
        }
    }

    /// <summary>Takes the runtime registry's new tasks over without building anything, so a later capture with
    /// <see cref="CensusCaptureOptions.After"/> set to the answer lists only tasks begun afterwards.</summary>
    /// <returns>The takeover sequence number, or 0 when the source is not the runtime's registry.</returns>
    public long Mark()
    {
        if (Source is not RuntimeRegistrySource registry)
        {
            return 0;
        }

        lock (_lock)
        {
            return registry.Mark();
        }
    }

    /// <summary>Adds the task ids of the task scope children active now.</summary>
    /// <param name="into">Receives the ids.</param>
    public static void AddActiveScopeChildIds(ICollection<long> into)
    {
        foreach (TaskScope scope in ScopeRegistry.GetLiveScopes())
        {
            foreach (TaskScopeChildInfo child in scope.GetActiveChildren())
            {
                if (child.Task is { IsCompleted: false } task)
                {
                    into.Add(task.Id);
                }
            }
        }
    }

    /// <summary>Gets the largest takeover sequence number of a tracked task found collected (0 when none, or with
    /// another source).</summary>
    public long LastCollectedSequence => Source is RuntimeRegistrySource registry ? registry.LastCollectedSequence : 0;

    /// <summary>Gets the sequence number of the last abandoned method found.</summary>
    /// <returns>The sequence number.</returns>
    public long AbandonedSequence()
    {
        lock (_lock)
        {
            return _abandonedSequence;
        }
    }

    /// <summary>Finds the context a faulted task completed in, or the context it captured.</summary>
    /// <param name="task">The faulted task.</param>
    /// <returns>The context, or <see langword="null"/>.</returns>
    public ExecutionContext? FindFaultContext(System.Threading.Tasks.Task task)
    {
#pragma warning disable CA2000 // Execution contexts are shared and captured, never owned: nobody disposes them.
        ExecutionContext? context = _listener.TakeFaultedContext(task.Id);
#pragma warning restore CA2000
        return context ?? Inspector.Fields.ReadContext(task);
    }

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

    private void RecordAbandoned(List<RawOperation> found)
    {
        DateTimeOffset now = TimeProvider.GetUtcNow();
        foreach (RawOperation operation in found)
        {
            TaskFacts facts = Inspector.Inspect(operation.Task!);
            if (facts.StateMachineType is not { } machine)
            {
                continue; // A promise collected unfinished is no abandoned work; the method awaiting it is.
            }

            CensusFrame site = CensusBuilder.BuildSite(machine, facts.State, resolveLines: true); // Recorded once, so always with its line.
            string awaiting = facts.Awaited is null ? string.Empty : $", awaiting {facts.Awaited.GetType().Name}";
            Add(
                new AbandonedOperation
                {
                    Id = operation.Id,
                    DetectedAt = now,
                    Method = site.Method,
                    AwaitSite = site,
                    Description = $"{machine.FullName} collected while suspended at state {facts.State}{awaiting}.",
                },
                Inspector.Fields.ReadContext(operation.Task!) ?? operation.Tracking?.CreationContext);
        }

        // The fallback source has no tasks: the runtime's IncompleteAsyncMethod events are all it knows.
        var reports = new List<AbandonedReport>();
        _listener.TakeAbandoned(reports);
        foreach (AbandonedReport report in reports)
        {
            string typeName = report.TypeName;
            Add(
                new AbandonedOperation
                {
                    DetectedAt = report.DetectedAt,
                    Method = StateMachineNames.MemberName(typeName[(typeName.LastIndexOf('+') + 1)..]),
                    Description = report.Description,
                },
                null);
        }
    }

    private void Add(AbandonedOperation operation, ExecutionContext? context)
    {
        if (_abandoned.Count == MaxAbandoned)
        {
            _abandoned.RemoveAt(0);
        }

        _abandoned.Add((WithSequence(operation, ++_abandonedSequence), context));
    }

    private static AbandonedOperation WithSequence(AbandonedOperation o, long sequence) =>
        new() { Id = o.Id, DetectedAt = o.DetectedAt, Method = o.Method, AwaitSite = o.AwaitSite, Description = o.Description, Owner = o.Owner, Sequence = sequence };

    private static AbandonedOperation WithOwner(AbandonedOperation o, string? owner) =>
        new() { Id = o.Id, DetectedAt = o.DetectedAt, Method = o.Method, AwaitSite = o.AwaitSite, Description = o.Description, Owner = owner, Sequence = o.Sequence };
}
