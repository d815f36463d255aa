using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Scopes.Internal;
using Leakproof.Telemetry;

namespace Leakproof;

/// <summary>
/// Represents a structured-concurrency scope: a set of child operations that cannot outlive it.
/// </summary>
/// <remarks>
/// <para>
/// Leaving the scope (<see cref="WaitAsync"/>, <see cref="DisposeAsync"/> or the end of
/// <see cref="RunAsync(Func{TaskScope, CancellationToken, ValueTask}, TaskScopeOptions?, CancellationToken)"/>) waits
/// for every child, including children spawned by children while the scope is already waiting.
/// </para>
/// <para>
/// In <see cref="TaskScopeFailureMode.FailFast"/> mode the first failure cancels <see cref="CancellationToken"/>;
/// in <see cref="TaskScopeFailureMode.Supervise"/> mode siblings keep running. Either way every real failure is kept:
/// one failure is rethrown as itself, several as an <see cref="AggregateException"/> with the root cause first, and
/// <see cref="OperationCanceledException"/>s caused by the scope's own cancellation are dropped. A scope cancelled
/// from outside ends in <see cref="OperationCanceledException"/> and a scope past its deadline in
/// <see cref="TimeoutException"/>; neither reports success. A scope stopped with <see cref="Cancel"/> ends normally.
/// </para>
/// <para>
/// Children start on the spawning thread, like a call to an async method: the delegate runs synchronously until
/// its first incomplete await. All members are thread-safe.
/// </para>
/// </remarks>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
[DebuggerTypeProxy(typeof(TaskScopeDebugView))]
public sealed partial class TaskScope : IAsyncDisposable
{
    /// <summary>The scope whose body is running on this logical flow, for <see cref="Parent"/>.</summary>
    private static readonly AsyncLocal<TaskScope?> s_current = new();

    /// <summary>Guards every mutable field below; never held while user code or cancellation callbacks run.</summary>
    private readonly Lock _lock = new();

    /// <summary>The source behind <see cref="CancellationToken"/>; cancelled on failure, deadline, request, or finish.</summary>
    private readonly CancellationTokenSource _cts = new();

    /// <summary>The token given at creation; its cancellation ends the scope in an <see cref="OperationCanceledException"/>.</summary>
    private readonly CancellationToken _externalToken;

    /// <summary>The clock for deadlines, start times and durations.</summary>
    private readonly TimeProvider _timeProvider;

    /// <summary>The timestamp at creation.</summary>
    private readonly long _startTimestamp;

    /// <summary>The most children that may hold a slot at once (<see cref="int.MaxValue"/> for no limit).</summary>
    private readonly int _limit;

    /// <summary>The configured deadline, for the <see cref="TimeoutException"/> message.</summary>
    private readonly TimeSpan? _timeout;

    /// <summary>The tag naming this scope in metrics.</summary>
    private readonly KeyValuePair<string, object?> _scopeTag;

    /// <summary>Registration on <see cref="_externalToken"/>; disposed when the scope finishes.</summary>
    private CancellationTokenRegistration _externalRegistration;

    /// <summary>The deadline timer; disposed when the scope finishes.</summary>
    private ITimer? _deadlineTimer;

    /// <summary>The scope's span, when tracing is listened to; stopped (disposed) when the scope finishes.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "Disposed in Finish, which every scope reaches when it is left.")]
    private Activity? _activity;

    /// <summary>Children holding a slot (started and not yet completed).</summary>
    private int _running;

    /// <summary>Children spawned with <c>Spawn</c> that wait in the queue for a slot.</summary>
    private int _queuedSpawns;

    /// <summary>Bodies of <c>RunAsync</c> still running; the scope cannot finish before they end.</summary>
    private int _bodies;

    /// <summary>Entries in the slot queue: queued spawns plus <c>SpawnAsync</c> callers waiting.</summary>
    private int _queueLength;

    /// <summary>Head of the doubly linked list of running children.</summary>
    private ChildEntry? _liveHead;

    /// <summary>Head (oldest) of the FIFO slot queue.</summary>
    private ChildEntry? _queueHead;

    /// <summary>Tail (newest) of the FIFO slot queue.</summary>
    private ChildEntry? _queueTail;

    /// <summary>Real failures in the order they were observed; the first is the root cause.</summary>
    private List<Exception>? _failures;

    /// <summary>Why the token was cancelled first; decides the outcome when there is no failure.</summary>
    private CancelReason _cancelReason;

    /// <summary>Set once someone waits for the scope; from then on, reaching zero pending work finishes it.</summary>
    private bool _joining;

    /// <summary>Set by <see cref="WaitAsync"/>, so <see cref="DisposeAsync"/> does not throw the outcome twice.</summary>
    private bool _outcomeObserved;

    /// <summary>Set once, when the scope has no pending work and someone waits; no child can be added after.</summary>
    private bool _finished;

    /// <summary>Completed with the outcome when the scope finishes; created only if someone waits before then.</summary>
    private TaskCompletionSource? _completion;

    /// <summary>The outcome, set once when the scope finished; every later wait returns it.</summary>
    private Task? _outcomeTask;

    private TaskScope(TaskScopeOptions options, CancellationToken cancellationToken)
    {
        Name = options.Name ?? LeakproofTelemetryConstants.UnnamedScope;
        FailureMode = options.FailureMode;
        MaxConcurrency = options.MaxConcurrency;
        _limit = options.MaxConcurrency ?? int.MaxValue;
        _timeout = options.Timeout;
        _timeProvider = options.TimeProvider;
        _externalToken = cancellationToken;
        _startTimestamp = _timeProvider.GetTimestamp();
        StartTime = _timeProvider.GetUtcNow();
        Parent = s_current.Value;
        CancellationToken = _cts.Token;
        _scopeTag = LeakproofTelemetry.ScopeTag(Name);
    }

    /// <summary>Gets the scope's name (<c>unnamed</c> when none was given).</summary>
    public string Name { get; }

    /// <summary>Gets the token every child receives; cancelled on a fail-fast failure, the deadline, external
    /// cancellation, <see cref="Cancel"/>, and when the scope finishes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Gets what the scope does when a child fails.</summary>
    public TaskScopeFailureMode FailureMode { get; }

    /// <summary>Gets the largest number of children that may run at once, or <see langword="null"/> for no limit.</summary>
    public int? MaxConcurrency { get; }

    /// <summary>Gets the scope whose body (or child) created this scope, when known.</summary>
    public TaskScope? Parent { get; }

    /// <summary>Gets the time the scope was created, from its <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset StartTime { get; }

    /// <summary>Gets the clock the scope uses.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Gets the number of children running now.</summary>
    public int ActiveChildCount
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    /// <summary>Gets the number of children spawned with <c>Spawn</c> that wait for a free slot.</summary>
    public int QueuedChildCount
    {
        get
        {
            lock (_lock)
            {
                return _queuedSpawns;
            }
        }
    }

    /// <summary>Gets a value indicating whether the scope has finished: every child ended and the outcome is known.</summary>
    public bool IsFinished
    {
        get
        {
            lock (_lock)
            {
                return _finished;
            }
        }
    }

    /// <summary>Gets the text the debugger shows; reads fields without the lock so it never blocks the debugger.</summary>
    private string DebuggerDisplay =>
        $"TaskScope \"{Name}\": {Volatile.Read(ref _running)} running, {Volatile.Read(ref _queuedSpawns)} queued, " +
        $"{(_finished ? "finished" : _cancelReason != CancelReason.None ? $"cancelled ({_cancelReason})" : "active")}";

    /// <summary>
    /// Creates a scope. Spawn children into it, then leave it with <see cref="WaitAsync"/> or <c>await using</c>.
    /// </summary>
    /// <param name="options">The scope's options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token whose cancellation cancels the scope; the scope then ends in an
    /// <see cref="OperationCanceledException"/>.</param>
    /// <returns>The new scope.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentNullException"><see cref="TaskScopeOptions.TimeProvider"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// C# cannot tell <see cref="DisposeAsync"/> that the block it ends is throwing, so a scope left by an exception
    /// waits for children that nobody cancels. Prefer
    /// <see cref="RunAsync(Func{TaskScope, CancellationToken, ValueTask}, TaskScopeOptions?, CancellationToken)"/>,
    /// which treats an exception from its body as a failure and cancels the children.
    /// </remarks>
    public static TaskScope Create(TaskScopeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= s_defaultOptions;
        options.Validate();
        var scope = new TaskScope(options, cancellationToken);
        scope.Arm();
        return scope;
    }

    /// <summary>Cancels the scope's token so its children stop early. The scope then ends normally unless a child failed.</summary>
    /// <remarks>Use this when the scope's work is done early (the answer was found). Calling it more than once, or
    /// after the scope finished, does nothing.</remarks>
    public void Cancel() => CancelCore(CancelReason.Requested);

    /// <summary>Takes a snapshot of the children running now.</summary>
    /// <returns>The running children, newest first.</returns>
    public IReadOnlyList<TaskScopeChildInfo> GetActiveChildren()
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        long nowTimestamp = _timeProvider.GetTimestamp();
        var result = new List<TaskScopeChildInfo>();
        lock (_lock)
        {
            for (ChildEntry? entry = _liveHead; entry is not null; entry = entry.Next)
            {
                TimeSpan age = _timeProvider.GetElapsedTime(entry.StartTimestamp, nowTimestamp);
                result.Add(new TaskScopeChildInfo(this, entry, now - age, age));
            }
        }

        return result;
    }

    /// <summary>The options used when none are given.</summary>
    private static readonly TaskScopeOptions s_defaultOptions = new();

    /// <summary>Registers the external token and the deadline once the scope is fully built.</summary>
    private void Arm()
    {
        ScopeRegistry.Register(this);
        if (LeakproofTelemetry.ActivitySource.HasListeners())
        {
            _activity = LeakproofTelemetry.ActivitySource.StartActivity("leakproof.scope " + Name, ActivityKind.Internal);
            _activity?.SetTag(LeakproofTelemetryConstants.ScopeNameTag, Name);
        }

        if (_timeout is TimeSpan timeout && timeout != Timeout.InfiniteTimeSpan)
        {
            _deadlineTimer = _timeProvider.CreateTimer(
                static state => ((TaskScope)state!).CancelCore(CancelReason.Deadline), this, timeout, Timeout.InfiniteTimeSpan);
        }

        if (_externalToken.CanBeCanceled)
        {
            _externalRegistration = _externalToken.UnsafeRegister(static state => ((TaskScope)state!).CancelCore(CancelReason.External), this);
        }
    }

    /// <summary>Latches the first cancellation reason and cancels the token, outside the lock.</summary>
    private void CancelCore(CancelReason reason)
    {
        lock (_lock)
        {
            AssertInvariants();
            if (_finished || _cancelReason != CancelReason.None)
            {
                return;
            }

            _cancelReason = reason;
        }

        CancelTokenSource();
    }

    /// <summary>Cancels the token; callbacks registered by user code run here, so never under the lock.</summary>
    private void CancelTokenSource()
    {
        Debug.Assert(!_lock.IsHeldByCurrentThread, "Cancellation callbacks are user code and must not run under the scope's lock.");
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The scope finished concurrently (a deadline or external cancellation racing the last child); nothing is left to cancel.
        }
        catch (AggregateException ex)
        {
            // A callback registered on the scope's token threw; that is a real failure and must not be lost.
            lock (_lock)
            {
                (_failures ??= []).AddRange(ex.InnerExceptions);
            }
        }
    }

    /// <summary>Checks the counting invariants; called at the top of each locked region in debug builds.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread, "Invariants are checked under the scope's lock.");
        Debug.Assert(_running >= 0 && _queuedSpawns >= 0 && _bodies >= 0, "Counters never go negative.");
        Debug.Assert(_running <= _limit, "No more children hold a slot than the limit allows.");
        Debug.Assert(_queueLength >= _queuedSpawns, "Queued spawns are a subset of the slot queue.");
        Debug.Assert(!_finished || (_running == 0 && _queuedSpawns == 0 && _bodies == 0), "A finished scope has no pending work.");
        Debug.Assert((_queueHead is null) == (_queueLength == 0), "The queue head exists exactly when the queue is not empty.");
        Debug.Assert(_queueLength == 0 || _running == _limit, "Nobody waits for a slot while one is free.");
    }
}
