using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Pools.Internal;
using Leakproof.Telemetry;

namespace Leakproof;

/// <summary>
/// Represents a typed worker pool: a fixed number of workers, owned by an internal <see cref="TaskScope"/>, that run
/// jobs from a bounded queue and give each caller its own job's result.
/// </summary>
/// <typeparam name="TJob">The job's input type.</typeparam>
/// <typeparam name="TResult">The job's result type.</typeparam>
/// <remarks>
/// <para>
/// The workers start on the first submitted job, so an unused pool runs nothing. A job is handed straight to an idle
/// worker, or queued; when the queue is full it waits for room (<see cref="WorkerPoolFullMode.Wait"/>) or is refused
/// with a <see cref="WorkerPoolFullException"/> (<see cref="WorkerPoolFullMode.Reject"/>). One job's failure fails
/// only that job's task. A job runs with a token that is cancelled when its caller's token is cancelled or the pool
/// is disposed; a caller's token cancelled before the job runs removes it from the queue.
/// </para>
/// <para>
/// Jobs run on the workers, in an empty execution context: the submitter's <see cref="AsyncLocal{T}"/> values do
/// not flow into the handler.
/// </para>
/// <para>
/// <see cref="CompleteAsync"/> stops accepting jobs and lets the queue drain; <see cref="DisposeAsync"/> cancels
/// queued and running jobs. Both wait for every worker, so no job outlives the pool. All members are thread-safe.
/// </para>
/// </remarks>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
public sealed partial class WorkerPool<TJob, TResult> : IAsyncDisposable
{
    /// <summary>Guards the lists, the state and every job's state; never held while user code runs.</summary>
    private readonly Lock _lock = new();

    /// <summary>Serializes the one-time start of the workers with the end of the pool; taken before <see cref="_lock"/>, never inside it.</summary>
    private readonly Lock _startLock = new();

    /// <summary>The code that runs a job.</summary>
    private readonly Func<TJob, CancellationToken, ValueTask<TResult>> _handler;

    /// <summary>The scope that owns the workers (supervise mode: workers do not fail each other).</summary>
    [SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "Left (cancelled and awaited) in CompleteAsync and DisposeAsync.")]
    private readonly TaskScope _scope;

    /// <summary>The number of workers.</summary>
    private readonly int _workerCount;

    /// <summary>The most jobs the queue holds.</summary>
    private readonly int _capacity;

    /// <summary>What a submission does when the queue is full.</summary>
    private readonly WorkerPoolFullMode _fullMode;

    /// <summary>The tag naming this pool in metrics.</summary>
    private readonly KeyValuePair<string, object?> _poolTag;

    /// <summary>Jobs waiting for a worker, oldest first (at most <see cref="_capacity"/>).</summary>
    private readonly WorkerPoolJobList<TJob, TResult> _queue = new();

    /// <summary>Jobs waiting for room in the full queue, oldest first.</summary>
    private readonly WorkerPoolJobList<TJob, TResult> _waiting = new();

    /// <summary>Workers waiting for a job; each is handed one job, or <see langword="null"/> to exit.</summary>
    private readonly Stack<TaskCompletionSource<WorkerPoolJob<TJob, TResult>?>> _idleWorkers = new();

    /// <summary>The member that created the pool, recorded on its workers.</summary>
    private readonly string _callerMemberName;

    /// <summary>The file that created the pool.</summary>
    private readonly string _callerFilePath;

    /// <summary>The line that created the pool.</summary>
    private readonly int _callerLineNumber;

    /// <summary>Set once the workers were spawned, or the pool ended before any job (guarded by <see cref="_startLock"/>).</summary>
    private bool _workersStarted;

    /// <summary>Where the pool is in its life cycle.</summary>
    private WorkerPoolState _state;

    /// <summary>
    /// Initializes a new instance of the <see cref="WorkerPool{TJob, TResult}"/> class. No worker starts until the first job.
    /// </summary>
    /// <param name="handler">Runs one job; it receives a token cancelled when the job's caller cancels or the pool is disposed.</param>
    /// <param name="options">The pool's options, or <see langword="null"/> for the defaults.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the member that creates the pool.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the source file that creates the pool.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the line that creates the pool.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is <see langword="null"/>, or
    /// <see cref="WorkerPoolOptions.TimeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public WorkerPool(
        Func<TJob, CancellationToken, ValueTask<TResult>> handler,
        WorkerPoolOptions? options = null,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(handler);
        options ??= new WorkerPoolOptions();
        options.Validate();
        _handler = handler;
        Name = options.Name ?? LeakproofTelemetryConstants.UnnamedScope;
        _workerCount = options.WorkerCount;
        _capacity = options.QueueCapacity;
        _fullMode = options.FullMode;
        _poolTag = new(LeakproofTelemetryConstants.PoolNameTag, Name);
        _callerMemberName = callerMemberName;
        _callerFilePath = callerFilePath;
        _callerLineNumber = callerLineNumber;
        _scope = TaskScope.Create(new TaskScopeOptions
        {
            Name = Name,
            FailureMode = TaskScopeFailureMode.Supervise,
            TimeProvider = options.TimeProvider,
        });
    }

    /// <summary>Gets the pool's name (<c>unnamed</c> when none was given).</summary>
    public string Name { get; }

    /// <summary>Gets the number of jobs waiting in the queue for a worker (not counting jobs waiting for room).</summary>
    public int QueueLength
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Gets the number of workers running now (for tests and the census).</summary>
    internal int ActiveWorkerCount => _scope.ActiveChildCount;

    /// <summary>Gets the text the debugger shows; reads fields without the lock so it never blocks the debugger.</summary>
    private string DebuggerDisplay =>
        $"WorkerPool \"{Name}\": {_workerCount} workers, {_queue.Count}/{_capacity} queued, {_waiting.Count} waiting for room, {_state}";

    /// <summary>Checks the queue invariants; called at the top of each locked region in debug builds.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread, "Invariants are checked under the pool's lock.");
        Debug.Assert(_queue.Count <= _capacity, "The queue never holds more jobs than its capacity.");
        Debug.Assert(_waiting.Count == 0 || _queue.Count == _capacity, "Jobs wait for room only while the queue is full.");
        Debug.Assert(_idleWorkers.Count == 0 || _queue.Count == 0, "No worker idles while jobs are queued.");
        Debug.Assert(_idleWorkers.Count <= _workerCount, "No more workers idle than exist.");
        Debug.Assert(
            _state != WorkerPoolState.Disposed || (_queue.Count == 0 && _waiting.Count == 0 && _idleWorkers.Count == 0),
            "A disposed pool holds no jobs and no idle workers.");
    }
}
