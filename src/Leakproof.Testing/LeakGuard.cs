using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Census.Sources;
using Leakproof.Testing.Internal;

namespace Leakproof.Testing;

/// <summary>
/// Checks that the code run after <see cref="Start(LeakGuardOptions?)"/> leaves no async work behind: nothing pending, nothing abandoned,
/// no task exception unobserved. Each guard is blamed only for the work started on its own logical flow, so tests
/// running in parallel in one process do not blame each other.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Start(LeakGuardOptions?)"/> puts an owner token in an <see cref="AsyncLocal{T}"/>; every operation started afterwards on
/// that flow captures it in its execution context, which is how the census attributes it. Work started with the
/// flow suppressed has no owner: it is listed in <see cref="LeakReport.Unowned"/>, never blamed.
/// </para>
/// <para>
/// Before judging, the guard waits with exponential backoff while guarded work is pending (never when nothing is),
/// then forces a garbage collection to find abandoned methods and unobserved exceptions.
/// </para>
/// </remarks>
public sealed partial class LeakGuard : IAsyncDisposable
{
    /// <summary>The owner id of the test-run guard.</summary>
    private const string TestRunId = "test-run";

    /// <summary>The guard's options, validated.</summary>
    private readonly LeakGuardOptions _options;

    /// <summary>The census engine.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "The process-wide census engine outlives every guard.")]
    private readonly CensusEngine _engine;

    /// <summary>The ignore rules.</summary>
    private readonly IgnoreRules _ignore;

    /// <summary>Whether every operation counts, not only owned ones (the assembly-wide check).</summary>
    private readonly bool _testRun;

    /// <summary>Operations pending at start, ignored (with <see cref="_startSequence"/>: only task scope children).</summary>
    private readonly HashSet<long> _pendingAtStart = [];

    /// <summary>The census's takeover sequence number at start (0 when unused): operations taken over up to it were
    /// pending before the guard started. Set for a per-test guard on the runtime's registry that ignores current work.</summary>
    private readonly long _startSequence;

    /// <summary>The census listener's fault count at start.</summary>
    private readonly long _faultsAtStart;

    /// <summary>The census's abandoned-method sequence number at start; earlier ones are ignored.</summary>
    private readonly long _abandonedAtStart;

    /// <summary>Timers active at start, ignored (the assembly-wide check counts every other one).</summary>
    private readonly HashSet<object> _timersAtStart = new(ReferenceEqualityComparer.Instance);

    /// <summary>The unobserved-exception sequence number at start.</summary>
    private readonly long _unobservedAtStart;

    /// <summary>Set once a report was taken, so disposing does not judge again.</summary>
    private int _judged;

    private LeakGuard(LeakGuardOptions? options, bool testRun, CensusEngine? engine = null)
    {
        _options = options ?? new LeakGuardOptions();
        _options.Validate();
        _testRun = testRun;
        _ignore = new IgnoreRules(_options);
        _engine = engine ?? AsyncCensus.GetEngine(new CensusOptions
        {
            TrackAbandoned = true,
            TrackCreationContext = true,
            CaptureCreationStacks = _options.CaptureCreationStacks,
        });
        if (_options.CheckUnobservedExceptions)
        {
            UnobservedExceptions.EnsureSubscribed(_engine);
        }

        _unobservedAtStart = UnobservedExceptions.Sequence;
        Id = testRun ? TestRunId : GuardOwner.NextId();
        _faultsAtStart = _engine.Listener.FaultSequence;
        if (!testRun && _options.IgnoreCurrent && _engine.Listener.SourceFound && _engine.Mark() is long mark and > 0)
        {
            // No census here: every task pending now is in the source's table with a takeover sequence number up to
            // the mark, so "pending at start" is a comparison. Only scope children the source may not list are kept.
            // (The fast path this enables needs the task events' fault log, hence the listener's source.)
            _startSequence = mark;
            CensusEngine.AddActiveScopeChildIds(_pendingAtStart);
        }
        else if (_options.IgnoreCurrent || testRun)
        {
            CensusSnapshot atStart = _engine.Capture(new CensusCaptureOptions { IncludeAsyncStacks = false, ResolveSourceLines = false });
            foreach (PendingOperation operation in atStart.Operations)
            {
                _pendingAtStart.Add(operation.Id);
            }
        }

        _abandonedAtStart = _engine.AbandonedSequence();
        if (_options.CheckTimers && Census.Analysis.TimerScanner.Current is { } scanner)
        {
            foreach ((object timer, _, _, _) in scanner.Scan())
            {
                _timersAtStart.Add(timer);
            }
        }

        if (!testRun)
        {
            GuardOwner.Set(Id);
        }
    }

    /// <summary>Gets the guard's id: the owner recorded on the operations it blames.</summary>
    public string Id { get; }

    /// <summary>
    /// Starts guarding the current logical flow: every async operation started from here on (in this method, the
    /// methods it calls and the tasks they start) is owned by the guard.
    /// </summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The guard; dispose it (or call <see cref="VerifyNoLeaksAsync(CancellationToken)"/>) at the end of the test.</returns>
    /// <exception cref="ArgumentNullException">An option is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <remarks>Call it from the test method itself (not from a helper that returns before the guarded code runs),
    /// so the owner token is set on the test's own flow.</remarks>
    public static LeakGuard Start(LeakGuardOptions? options = null) => new(options, testRun: false);

    /// <summary>
    /// Starts an assembly-wide guard (goleak's <c>VerifyTestMain</c>): at the end of the run it counts every operation
    /// begun since it started that is still pending, whoever started it. Test framework adapters call it when the run
    /// starts and <see cref="VerifyNoLeaksAsync(ILeakTestReporter, CancellationToken)"/> when it ends.
    /// </summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults; work pending now is always ignored.</param>
    /// <returns>The guard.</returns>
    /// <exception cref="ArgumentNullException">An option is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static LeakGuard StartTestRun(LeakGuardOptions? options = null) => new(options, testRun: true);

    /// <summary>Starts a guard on a given census engine (tests use one that lacks the runtime's registry).</summary>
    /// <param name="options">The options.</param>
    /// <param name="engine">The engine.</param>
    /// <returns>The guard.</returns>
    internal static LeakGuard Start(LeakGuardOptions? options, CensusEngine engine) => new(options, testRun: false, engine);

    /// <summary>Settles, then reports what the guarded code leaked, without throwing.</summary>
    /// <param name="cancellationToken">Cancels the settling wait.</param>
    /// <returns>The report.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<LeakReport> FindLeaksAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _judged, 1);
        var self = new StrongBox<Task?>();
        Task<LeakReport> task = FindCoreAsync(self, cancellationToken);
        self.Value = task; // Whoever awaits this task (the test method) is left out of the census after the first look.
        return task;
    }

    /// <summary>Settles, then throws if the guarded code leaked.</summary>
    /// <param name="cancellationToken">Cancels the settling wait.</param>
    /// <returns>A task that completes when the check passed.</returns>
    /// <exception cref="LeakDetectedException">Work was leaked; the message is the report.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task VerifyNoLeaksAsync(CancellationToken cancellationToken = default)
    {
        LeakReport report = await FindLeaksAsync(cancellationToken).ConfigureAwait(false);
        if (report.HasLeaks)
        {
            throw new LeakDetectedException(report);
        }
    }

    /// <summary>Settles, then hands the report to <paramref name="reporter"/> if the guarded code leaked.</summary>
    /// <param name="reporter">The test framework's reporter.</param>
    /// <param name="cancellationToken">Cancels the settling wait.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reporter"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<LeakReport> VerifyNoLeaksAsync(ILeakTestReporter reporter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        LeakReport report = await FindLeaksAsync(cancellationToken).ConfigureAwait(false);
        if (report.HasLeaks)
        {
            reporter.ReportLeaks(report);
        }

        return report;
    }

    /// <summary>Verifies, unless a report was already taken.</summary>
    /// <returns>A task that completes when the check passed.</returns>
    /// <exception cref="LeakDetectedException">Work was leaked; the message is the report.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _judged) == 0)
        {
            await VerifyNoLeaksAsync().ConfigureAwait(false);
        }
    }
}
