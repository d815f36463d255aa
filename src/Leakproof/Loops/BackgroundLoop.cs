using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Loops.Internal;
using Leakproof.Telemetry;

namespace Leakproof;

/// <summary>
/// Represents a periodic background loop with an owner: it starts lazily, stops explicitly, never runs two ticks at
/// once, and surfaces every tick failure.
/// </summary>
/// <remarks>
/// <para>
/// Nothing runs and no timer exists until <see cref="EnsureStarted"/> is called, so a loop held in a static field
/// costs nothing until it is used. <see cref="StopAsync"/> and <see cref="DisposeAsync"/> cancel the loop and wait
/// for the running tick. The loop is the only child of an internal <see cref="TaskScope"/> named after it, so it
/// shows in the scope census with the place it was created.
/// </para>
/// <para>
/// Ticks are timed by a <see cref="PeriodicTimer"/> on <see cref="BackgroundLoopOptions.TimeProvider"/>. A tick that
/// runs longer than the period delays the next one, which then starts as soon as the slow tick ends; missed periods
/// are not made up. A tick's exception goes to <see cref="BackgroundLoopOptions.OnError"/> and to the
/// <c>leakproof.loop.tick.completed</c> metric, and the loop goes on. All members are thread-safe.
/// </para>
/// </remarks>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
public sealed partial class BackgroundLoop : IAsyncDisposable
{
    /// <summary>Guards <see cref="_state"/>, <see cref="_scope"/> and <see cref="_stopObserved"/>; never held while user code runs.</summary>
    private readonly Lock _lock = new();

    /// <summary>The work run on each tick.</summary>
    private readonly Func<CancellationToken, ValueTask> _tick;

    /// <summary>The time between tick starts.</summary>
    private readonly TimeSpan _period;

    /// <summary>Whether the first tick runs at start.</summary>
    private readonly bool _runImmediately;

    /// <summary>The clock for the timer.</summary>
    private readonly TimeProvider _timeProvider;

    /// <summary>The tick failure callback, if any.</summary>
    private readonly Func<OnBackgroundLoopErrorArguments, ValueTask>? _onError;

    /// <summary>The tag naming this loop in metrics.</summary>
    private readonly KeyValuePair<string, object?> _loopTag;

    /// <summary>The member that created the loop, recorded on its scope child.</summary>
    private readonly string _callerMemberName;

    /// <summary>The file that created the loop.</summary>
    private readonly string _callerFilePath;

    /// <summary>The line that created the loop.</summary>
    private readonly int _callerLineNumber;

    /// <summary>Where the loop is in its life cycle (guarded by <see cref="_lock"/>).</summary>
    private BackgroundLoopState _state;

    /// <summary>The scope that owns the loop child; created by <see cref="EnsureStarted"/> (guarded by <see cref="_lock"/>).</summary>
    [SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "Left (cancelled and awaited) in StopAsync and DisposeAsync.")]
    private TaskScope? _scope;

    /// <summary>Set once <see cref="StopAsync"/> has handed the outcome to a caller, so dispose does not throw it again.</summary>
    private bool _stopObserved;

    /// <summary>Set when the loop child has returned (stopped, or ended by a throwing error callback).</summary>
    private volatile bool _loopEnded;

    /// <summary>The number of ticks begun; written only by the loop, read by the debugger display.</summary>
    private long _tickCount;

    /// <summary>
    /// Initializes a new instance of the <see cref="BackgroundLoop"/> class. Nothing starts until <see cref="EnsureStarted"/>.
    /// </summary>
    /// <param name="tick">The work run on each tick; it receives a token cancelled when the loop stops.</param>
    /// <param name="options">The loop's options; <see cref="BackgroundLoopOptions.Period"/> is required.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the member that creates the loop.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the source file that creates the loop.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the line that creates the loop.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tick"/> or <paramref name="options"/> is <see langword="null"/>, or
    /// <see cref="BackgroundLoopOptions.TimeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BackgroundLoopOptions.Period"/> is not positive.</exception>
    public BackgroundLoop(
        Func<CancellationToken, ValueTask> tick,
        BackgroundLoopOptions options,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _tick = tick;
        Name = options.Name ?? LeakproofTelemetryConstants.UnnamedScope;
        _period = options.Period;
        _runImmediately = options.RunImmediately;
        _timeProvider = options.TimeProvider;
        _onError = options.OnError;
        _loopTag = new(LeakproofTelemetryConstants.LoopNameTag, Name);
        _callerMemberName = callerMemberName;
        _callerFilePath = callerFilePath;
        _callerLineNumber = callerLineNumber;
    }

    /// <summary>Gets the loop's name (<c>unnamed</c> when none was given).</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether the loop has started and has not ended yet.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _state == BackgroundLoopState.Started && !_loopEnded;
            }
        }
    }

    /// <summary>Gets the scope that owns the loop child, once started (for tests and the census).</summary>
    internal TaskScope? Scope
    {
        get
        {
            lock (_lock)
            {
                return _scope;
            }
        }
    }

    /// <summary>Gets the text the debugger shows; reads fields without the lock so it never blocks the debugger.</summary>
    private string DebuggerDisplay =>
        $"BackgroundLoop \"{Name}\": {(_loopEnded ? "ended" : _state.ToString())}, every {_period}, {Interlocked.Read(ref _tickCount)} ticks";

    /// <summary>
    /// Starts the loop if it has not started yet. Calling it again, from any thread, does nothing.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The loop was disposed.</exception>
    /// <exception cref="InvalidOperationException">The loop was stopped; a stopped loop cannot start again.</exception>
    /// <remarks>The timer is created here, on the calling thread; the first tick runs on the thread pool, never inline.
    /// The loop does not capture the caller's execution context: ticks see no <see cref="AsyncLocal{T}"/> values of
    /// whoever happened to start the loop.</remarks>
    public void EnsureStarted()
    {
        TaskScope scope;
        lock (_lock)
        {
            AssertInvariants();
            switch (_state)
            {
                case BackgroundLoopState.Started:
                    return;
                case BackgroundLoopState.Stopped:
                    throw new InvalidOperationException(
                        $"The background loop '{Name}' was stopped and cannot start again. Create a new {nameof(BackgroundLoop)} to run it again.");
                case BackgroundLoopState.Disposed:
                    throw new ObjectDisposedException(nameof(BackgroundLoop), $"The background loop '{Name}' was disposed and cannot start.");
            }

            scope = TaskScope.Create(new TaskScopeOptions { Name = Name, TimeProvider = _timeProvider });
            _scope = scope;
            _state = BackgroundLoopState.Started;
        }

        try
        {
            // Outside the lock: spawning reports telemetry, whose listeners are user code. The loop must not carry
            // the first caller's execution context (its AsyncLocals, its Activity) into every tick for its whole life.
            using (ExecutionContext.SuppressFlow())
            {
                scope.Spawn(RunLoopAsync, Name, _callerMemberName, _callerFilePath, _callerLineNumber);
            }
        }
        catch (InvalidOperationException) when (scope.IsFinished)
        {
            // A concurrent StopAsync finished the scope first: the loop was started and stopped at once.
            _loopEnded = true;
        }
    }

    /// <summary>
    /// Stops the loop: cancels its token and waits for the running tick to end. Stopping a loop that never started
    /// only prevents it from starting. Calling it again waits again.
    /// </summary>
    /// <param name="cancellationToken">Bounds the wait, not the stop: when it is cancelled the loop is still stopping,
    /// but this call gives up waiting for a tick that ignores its token.</param>
    /// <returns>A task that completes when the loop has ended.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the loop ended.</exception>
    /// <exception cref="Exception">The loop ended because <see cref="BackgroundLoopOptions.OnError"/> threw: that exception.</exception>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        TaskScope? scope;
        lock (_lock)
        {
            AssertInvariants();
            if (_state is BackgroundLoopState.NotStarted or BackgroundLoopState.Started)
            {
                _state = BackgroundLoopState.Stopped;
            }

            _stopObserved = true;
            scope = _scope;
        }

        if (scope is null)
        {
            return Task.CompletedTask;
        }

        Task ended = StopScope(scope);
        return cancellationToken.CanBeCanceled ? ended.WaitAsync(cancellationToken) : ended;
    }

    /// <summary>
    /// Stops the loop and waits for the running tick to end. Starting the loop afterwards throws.
    /// </summary>
    /// <returns>A task that completes when the loop has ended.</returns>
    /// <exception cref="Exception">The loop ended because <see cref="BackgroundLoopOptions.OnError"/> threw and
    /// <see cref="StopAsync"/> had not reported it already.</exception>
    public async ValueTask DisposeAsync()
    {
        TaskScope? scope;
        bool observed;
        lock (_lock)
        {
            AssertInvariants();
            _state = BackgroundLoopState.Disposed;
            observed = _stopObserved;
            _stopObserved = true;
            scope = _scope;
        }

        if (scope is null)
        {
            return;
        }

        Task ended = StopScope(scope);
        if (!observed)
        {
            await ended.ConfigureAwait(false);
            return;
        }

        // StopAsync already reported the outcome; here we only make sure the loop has ended.
        await ended.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Cancels the loop's scope and waits for it; outside the lock, since cancellation runs callbacks.</summary>
    private static Task StopScope(TaskScope scope)
    {
        scope.Cancel();
        return scope.WaitAsync();
    }

    /// <summary>Checks the life-cycle invariants; called at the top of each locked region in debug builds.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread, "Invariants are checked under the loop's lock.");
        Debug.Assert(_scope is null || _state != BackgroundLoopState.NotStarted, "A loop with a scope has started.");
        Debug.Assert(_state != BackgroundLoopState.Started || _scope is not null, "A started loop has a scope.");
    }
}
