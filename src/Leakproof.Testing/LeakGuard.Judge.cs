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

    private CensusSnapshot Capture(StrongBox<Task?> self) =>
        _engine.Capture(new CensusCaptureOptions
        {
            OwnerProbe = GuardOwner.Probe,
            Exclude = self.Value is { } task ? [task] : null,
        });

    private Verdict Judge(CensusSnapshot census)
    {
        var verdict = new Verdict();
        foreach (PendingOperation operation in census.Operations)
        {
            if (operation.IsRunning || _pendingAtStart.Contains(operation.Id) || IsOwnFrame(operation))
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
