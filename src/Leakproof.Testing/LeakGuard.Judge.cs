using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Testing.Internal;

namespace Leakproof.Testing;

/// <content>Settling and judging: looks with backoff, a forced collection, then the verdict.</content>
public sealed partial class LeakGuard
{
    /// <summary>The guard's own frames: its settle loop and its delays are never leaks.</summary>
    private const string OwnFramePrefix = "Leakproof.Testing.LeakGuard.";

    private async Task<LeakReport> FindCoreAsync(StrongBox<Task?> self, CancellationToken cancellationToken)
    {
        long start = _options.TimeProvider.GetTimestamp();

        // From here on this flow (the settle loop, its delays) belongs to no guard; the caller's flow keeps its owner.
        GuardOwner.Set(null);
        if (_startSequence > 0 && TryJudgeRecentWork(self, start) is { } quick)
        {
            return quick;
        }

        // The first look takes over the registry's tasks (weakly), so the collection can then reveal abandoned ones.
        _ = Capture(self);
        CollectGarbage();
        CensusSnapshot census = Capture(self);
        Verdict verdict = Judge(census);
        int attempts = 1;

        // The fallback source holds no tasks, so it cannot leave out the caller awaiting this settle loop: judge at once.
        int maxRetries = _engine.Source is Census.Sources.EventSourceSource ? 0 : _options.MaxRetries;
        for (int retry = 0; verdict.PendingCount > 0 && retry < maxRetries; retry++)
        {
            TimeSpan remaining = _options.MaxSettleTime - _options.TimeProvider.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            double backoff = _options.InitialRetryDelay.TotalMilliseconds * Math.Pow(2, retry);
            TimeSpan delay = TimeSpan.FromMilliseconds(Math.Min(Math.Min(backoff, _options.MaxRetryDelay.TotalMilliseconds), remaining.TotalMilliseconds));
            await Task.Delay(delay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            census = Capture(self);
            verdict = Judge(census);
            attempts++;
        }

        if (attempts > 1)
        {
            // Work that finished while settling may have left exceptions or abandoned methods behind.
            CollectGarbage();
            census = Capture(self);
            verdict = Judge(census);
        }

        var unobserved = new List<Exception>();
        var unownedExceptions = new List<Exception>();
        if (_options.CheckUnobservedExceptions)
        {
            UnobservedExceptions.Take(_testRun ? null : Id, _unobservedAtStart, unobserved, unownedExceptions);
        }

        return new LeakReport(
            Id,
            verdict.Leaks,
            unobserved,
            FindTimers(),
            verdict.Unowned,
            unownedExceptions,
            census.Warnings,
            attempts,
            _options.TimeProvider.GetElapsedTime(start),
            census);
    }

    /// <summary>
    /// The fast path of a per-test guard: judges only the work taken over since the guard started, and returns the
    /// report if nothing the guard owns is pending, abandoned or failed; otherwise <see langword="null"/> (the full path).
    /// </summary>
    /// <remarks>
    /// <para>Why this loses nothing the full path would blame. The guard blames operations, abandoned methods and
    /// unobserved exceptions whose owner is this guard, plus timers (checked the same way on both paths).</para>
    /// <para>Pending operations: an operation is owned only if its execution context carries this guard's fresh id,
    /// which exists only from <see cref="Start(LeakGuardOptions?)"/> on, so an owned one was created after the start
    /// mark. The runtime adds each such task to its registry when it is created; the registry holds it strongly until a
    /// capture takes it over with a sequence number above the mark. The look below takes everything over and lists
    /// every task above the mark that is still reachable and pending: exactly the full path's candidates (older ones
    /// are skipped there as pending at start). Unowned operations are listed the same way.</para>
    /// <para>Abandoned methods: one is found when a task taken over (weakly) is collected while pending; its sentinel's
    /// finalizer reports it. An owned one has a sequence number above the mark. If such a task was collected
    /// (<see cref="Census.Sources.CensusEngine.LastCollectedSequence"/>), queued finalizers are run and the work looked
    /// at again, so every collected one is reported. A forced collection could reveal only methods unreachable but not
    /// yet collected, and those are still listed as pending, which sends us to the full path.</para>
    /// <para>Unobserved exceptions: one is blamed when the context its task faulted in (or, failing that, the task's
    /// own context) carries this guard's id. Every fault raises the runtime's end event, where the census records the
    /// completing context; if none since the start carries this guard's id (or is unknown), no exception a forced
    /// collection could surface is this guard's. Exceptions already surfaced are taken as on the full path.</para>
    /// </remarks>
    private LeakReport? TryJudgeRecentWork(StrongBox<Task?> self, long start)
    {
        CensusSnapshot recent = Capture(self, _startSequence);
        Verdict verdict = Judge(recent);
        if (verdict.Leaks.Count == 0 && verdict.PendingCount == 0 && _engine.LastCollectedSequence > _startSequence)
        {
            // A task begun since the start was collected: completed work nobody looked at again, or an abandoned method
            // whose sentinel is waiting to be finalized. Letting queued finalizers run (no collection is forced) makes
            // every such sentinel report, so the second look lists the abandoned ones as the full path would.
            GC.WaitForPendingFinalizers();
            recent = Capture(self, _startSequence);
            verdict = Judge(recent);
        }

        if (verdict.Leaks.Count > 0 || verdict.PendingCount > 0)
        {
            return null;
        }

        if (_options.CheckUnobservedExceptions)
        {
            var faults = new List<ExecutionContext?>();
            if (!_engine.Listener.CopyFaultsSince(_faultsAtStart, faults))
            {
                return null; // More faults than the listener remembers: look everywhere.
            }

            foreach (ExecutionContext? context in faults)
            {
                if (context is null || Census.Analysis.OwnerReader.Read(context, GuardOwner.Probe) == Id)
                {
                    return null; // An owned (or unknown) fault: its exception may surface after a collection.
                }
            }
        }

        var unobserved = new List<Exception>();
        var unownedExceptions = new List<Exception>();
        if (_options.CheckUnobservedExceptions)
        {
            UnobservedExceptions.Take(Id, _unobservedAtStart, unobserved, unownedExceptions);
        }

        return new LeakReport(
            Id,
            verdict.Leaks,
            unobserved,
            FindTimers(),
            verdict.Unowned,
            unownedExceptions,
            recent.Warnings,
            attempts: 1,
            _options.TimeProvider.GetElapsedTime(start),
            new Lazy<CensusSnapshot>(() => Capture(self, after: 0)))
        {
            JudgedRecentWorkOnly = true,
        };
    }

    private CensusSnapshot Capture(StrongBox<Task?> self, long after = 0) =>
        _engine.Capture(new CensusCaptureOptions
        {
            OwnerProbe = GuardOwner.Probe,
            Exclude = self.Value is { } task ? [task] : null,
            After = after,
        });

    private Verdict Judge(CensusSnapshot census)
    {
        var verdict = new Verdict();
        foreach (PendingOperation operation in census.Operations)
        {
            if (operation.IsRunning || IsOlderThanGuard(operation) || IsOwnFrame(operation))
            {
                continue; // Running now (the test itself), older than the guard, or the guard's own settling.
            }

            if (operation.Kind is PendingOperationKind.TaskCompletionSource or PendingOperationKind.WhenAllOrAny)
            {
                continue; // A promise is no work: the method awaiting it is the leak, and names it as its target.
            }

            bool owned = _testRun || operation.Owner == Id;
            if (!owned && operation.Owner is not null)
            {
                continue; // Another guard's work: never blamed here.
            }

            if (_ignore.IsIgnored(operation))
            {
                continue;
            }

            if (owned)
            {
                verdict.Leaks.Add(new LeakedOperation(operation));
                verdict.PendingCount++;
            }
            else
            {
                verdict.Unowned.Add(operation);
            }
        }

        foreach (AbandonedOperation abandoned in census.Abandoned)
        {
            // Work that was already pending when the guard started is not its to judge, even once it is collected.
            bool olderThanGuard = abandoned.Id is long id && _pendingAtStart.Contains(id);
            if (abandoned.Sequence > _abandonedAtStart && !olderThanGuard && (_testRun || abandoned.Owner == Id) && !_ignore.IsIgnored(abandoned))
            {
                verdict.Leaks.Add(new LeakedOperation(abandoned));
            }
        }

        return verdict;
    }

    private List<LeakedTimer> FindTimers()
    {
        var timers = new List<LeakedTimer>();
        if (!_options.CheckTimers || Census.Analysis.TimerScanner.Current is not { } scanner)
        {
            return timers;
        }

        foreach ((object timer, Delegate? callback, TimeSpan? period, ExecutionContext context) in scanner.Scan())
        {
            if (!_timersAtStart.Contains(timer) && (_testRun || Census.Analysis.OwnerReader.Read(context, GuardOwner.Probe) == Id))
            {
                timers.Add(new LeakedTimer(Census.Analysis.TimerScanner.Describe(callback), period));
            }
        }

        return timers;
    }

    private bool IsOlderThanGuard(PendingOperation operation) =>
        _pendingAtStart.Contains(operation.Id) || (operation.TakeoverSequence > 0 && operation.TakeoverSequence <= _startSequence);

    private static bool IsOwnFrame(PendingOperation operation)
    {
        foreach (CensusFrame frame in operation.AsyncStack)
        {
            if (frame.Method.StartsWith(OwnFramePrefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void CollectGarbage()
    {
        // Abandoned methods are reported by their finalizers and unobserved exceptions by their holders' finalizers.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    /// <summary>What one look found.</summary>
    private sealed class Verdict
    {
        public List<LeakedOperation> Leaks { get; } = [];

        public List<PendingOperation> Unowned { get; } = [];

        public int PendingCount { get; set; }
    }
}
