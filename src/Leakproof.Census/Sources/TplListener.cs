using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Threading;

namespace Leakproof.Census.Sources;

/// <summary>
/// Listens to the runtime's <c>TplEventSource</c>: operation begin/end (keyword 0x8) for the fallback source,
/// creation stacks and creation contexts, and <c>IncompleteAsyncMethod</c> (keyword 0x100) for abandoned methods.
/// Events arrive synchronously on the thread that raised them, so the current stack and context are the creator's.
/// </summary>
internal sealed class TplListener : EventListener
{
    /// <summary>The runtime's task event source.</summary>
    public const string SourceName = "System.Threading.Tasks.TplEventSource";

    /// <summary>The keyword of operation begin/end events.</summary>
    public const long CausalityKeyword = 0x8;

    /// <summary>The keyword of abandoned-method events (level Warning).</summary>
    public const long AbandonedKeyword = 0x100;

    /// <summary>The id of <c>TraceOperationBegin</c>.</summary>
    private const int BeginEventId = 14;

    /// <summary>The id of <c>TraceOperationEnd</c>.</summary>
    private const int EndEventId = 15;

    /// <summary>The id of <c>IncompleteAsyncMethod</c>.</summary>
    private const int IncompleteAsyncMethodEventId = 27;

    /// <summary>The most abandonment reports kept between captures; older ones are dropped.</summary>
    private const int MaxPendingReports = 10_000;

    /// <summary>The most recent faults remembered by <see cref="_faultLog"/>.</summary>
    private const int MaxFaultLog = 256;

    /// <summary>Guards <see cref="_begun"/> and the settings.</summary>
    private readonly Lock _lock = new();

    /// <summary>Operations begun and not ended, by task id (only those the settings ask for).</summary>
    private readonly Dictionary<int, BegunOperation> _begun = [];

    /// <summary>Abandonment reports not yet taken by a capture.</summary>
    private readonly ConcurrentQueue<AbandonedReport> _abandoned = new();

    /// <summary>The context each faulted operation completed in (keyword 0x8 with contexts on), for blaming unobserved exceptions.</summary>
    private readonly ConcurrentDictionary<int, ExecutionContext> _faulted = new();

    /// <summary>The clock for timestamps.</summary>
    private readonly TimeProvider _timeProvider;

    /// <summary>The last faults (sequence number and completing context, <see langword="null"/> when the flow was
    /// suppressed), oldest first; guarded by itself.</summary>
    private readonly Queue<(long Sequence, ExecutionContext? Context)> _faultLog = new();

    /// <summary>The number of faulted operations seen.</summary>
    private long _faultSequence;

    /// <summary>The event source, once created.</summary>
    private EventSource? _source;

    /// <summary>Whether every begun operation is kept (fallback source).</summary>
    private volatile bool _keepAll;

    /// <summary>Whether creation stacks are captured.</summary>
    private volatile bool _captureStacks;

    /// <summary>Whether creation contexts are kept for operations with no context of their own.</summary>
    private volatile bool _keepContexts;

    /// <summary>Whether abandoned-method events are enabled.</summary>
    private volatile bool _abandonedOn;

    /// <summary>Set at the end of the constructor; events before it are ignored.</summary>
    private volatile bool _ready;

    public TplListener(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _ready = true;
    }

    /// <summary>Gets a value indicating whether the task event source was found.</summary>
    public bool SourceFound => Volatile.Read(ref _source) is not null;

    /// <summary>Widens what is recorded and re-enables the source with the needed keywords.</summary>
    /// <param name="keepAll">Keep every begun operation (the fallback source).</param>
    /// <param name="captureStacks">Capture a stack per begun operation.</param>
    /// <param name="keepContexts">Keep the creation context of operations with no context of their own.</param>
    /// <param name="abandoned">Listen to abandoned-method events.</param>
    public void Configure(bool keepAll, bool captureStacks, bool keepContexts, bool abandoned)
    {
        lock (_lock)
        {
            _keepAll |= keepAll;
            _captureStacks |= captureStacks;
            _keepContexts |= keepContexts;
            _abandonedOn |= abandoned;
        }

        // OnEventSourceCreated may have run before the fields were set; enable again now that they are.
        foreach (EventSource source in EventSource.GetSources())
        {
            if (source.Name == SourceName)
            {
                EnableFor(source);
            }
        }
    }

    /// <summary>Copies the operations begun and not ended.</summary>
    /// <returns>The operations by task id.</returns>
    public List<KeyValuePair<int, BegunOperation>> SnapshotBegun()
    {
        lock (_lock)
        {
            return [.. _begun];
        }
    }

    /// <summary>Finds a begun operation by task id.</summary>
    /// <param name="taskId">The task id.</param>
    /// <returns>The operation, or <see langword="null"/>.</returns>
    public BegunOperation? FindBegun(int taskId)
    {
        lock (_lock)
        {
            return _begun.GetValueOrDefault(taskId);
        }
    }

    /// <summary>Finds (and forgets) the context a faulted operation completed in.</summary>
    /// <param name="taskId">The task id.</param>
    /// <returns>The context, or <see langword="null"/>.</returns>
    public ExecutionContext? TakeFaultedContext(int taskId) => _faulted.TryRemove(taskId, out ExecutionContext? context) ? context : null;

    /// <summary>Gets the number of faulted operations seen so far (with creation contexts on).</summary>
    public long FaultSequence => Interlocked.Read(ref _faultSequence);

    /// <summary>Copies the completing contexts of the operations that faulted after <paramref name="since"/>.</summary>
    /// <param name="since">A <see cref="FaultSequence"/> read earlier.</param>
    /// <param name="into">Receives the contexts (<see langword="null"/> for a fault whose context is unknown).</param>
    /// <returns><see langword="false"/> if some of those faults are no longer remembered.</returns>
    public bool CopyFaultsSince(long since, List<ExecutionContext?> into)
    {
        lock (_faultLog)
        {
            long seen = 0;
            foreach ((long sequence, ExecutionContext? context) in _faultLog)
            {
                if (sequence > since)
                {
                    into.Add(context);
                    seen++;
                }
            }

            return seen == Interlocked.Read(ref _faultSequence) - since;
        }
    }

    /// <summary>Takes the abandonment reports received since the last call.</summary>
    /// <param name="into">Receives the reports.</param>
    public void TakeAbandoned(List<AbandonedReport> into)
    {
        while (_abandoned.TryDequeue(out AbandonedReport? report))
        {
            into.Add(report);
        }
    }

    /// <inheritdoc/>
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == SourceName)
        {
            Volatile.Write(ref _source, eventSource);
            if (_ready)
            {
                EnableFor(eventSource);
            }
        }
    }

    /// <inheritdoc/>
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_ready || eventData.Payload is not { Count: > 0 } payload)
        {
            return;
        }

        switch (eventData.EventId)
        {
            case BeginEventId when payload.Count > 1 && payload[0] is int id && payload[1] is string name:
                OnBegin(id, name);
                break;
            case EndEventId when payload[0] is int id:
                lock (_lock)
                {
                    _begun.Remove(id);
                }

                // Status 3 is an error. The end event runs where the operation completed: an async method completes
                // inside its own context, so this is the context that owns the exception nobody may observe.
                if (_keepContexts && payload.Count > 1 && payload[1] is int status && status == 3)
                {
                    ExecutionContext? context = ExecutionContext.Capture();
                    if (context is not null)
                    {
                        if (_faulted.Count >= MaxPendingReports)
                        {
                            _faulted.Clear();
                        }

                        _faulted[id] = context;
                    }

                    RecordFault(context);
                }

                break;
            case IncompleteAsyncMethodEventId when payload[0] is string description:
                if (_abandoned.Count < MaxPendingReports)
                {
                    _abandoned.Enqueue(new AbandonedReport(_timeProvider.GetUtcNow(), description));
                }

                break;
        }
    }

    private void RecordFault(ExecutionContext? context)
    {
        lock (_faultLog)
        {
            // Incremented under the log's lock, so a reader comparing the count with the log sees both or neither.
            long sequence = Interlocked.Increment(ref _faultSequence);
            if (_faultLog.Count == MaxFaultLog)
            {
                _ = _faultLog.Dequeue();
            }

            _faultLog.Enqueue((sequence, context));
        }
    }

    private void OnBegin(int id, string name)
    {
        bool ownContext = name.StartsWith("Async:", StringComparison.Ordinal);
        bool keepContext = _keepAll || (_keepContexts && !ownContext);
        if (!_keepAll && !_captureStacks && !keepContext)
        {
            return;
        }

        // Skip this listener's and the event source's frames; the creator is below them.
        string? stack = _captureStacks ? new StackTrace(4, fNeedFileInfo: true).ToString() : null;
        var begun = new BegunOperation(name, keepContext ? ExecutionContext.Capture() : null, stack, _timeProvider.GetTimestamp());
        lock (_lock)
        {
            _begun[id] = begun;
        }
    }

    private void EnableFor(EventSource source)
    {
        long keywords = (_keepAll || _captureStacks || _keepContexts ? CausalityKeyword : 0) | (_abandonedOn ? AbandonedKeyword : 0);
        if (keywords != 0)
        {
            EnableEvents(source, _abandonedOn && keywords == AbandonedKeyword ? EventLevel.Warning : EventLevel.Informational, (EventKeywords)keywords);
        }
    }
}
