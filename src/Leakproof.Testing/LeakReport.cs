using System;
using System.Collections.Generic;
using Leakproof.Census;
using Leakproof.Testing.Internal;

namespace Leakproof.Testing;

/// <summary>Describes what a <see cref="LeakGuard"/> found when it judged the guarded code.</summary>
public sealed class LeakReport
{
    internal LeakReport(
        string guardId,
        IReadOnlyList<LeakedOperation> leaks,
        IReadOnlyList<Exception> unobservedExceptions,
        IReadOnlyList<LeakedTimer> timers,
        IReadOnlyList<PendingOperation> unowned,
        IReadOnlyList<Exception> unownedExceptions,
        IReadOnlyList<string> warnings,
        int attempts,
        TimeSpan settleTime,
        CensusSnapshot census)
        : this(guardId, leaks, unobservedExceptions, timers, unowned, unownedExceptions, warnings, attempts, settleTime, new Lazy<CensusSnapshot>(census))
    {
    }

    internal LeakReport(
        string guardId,
        IReadOnlyList<LeakedOperation> leaks,
        IReadOnlyList<Exception> unobservedExceptions,
        IReadOnlyList<LeakedTimer> timers,
        IReadOnlyList<PendingOperation> unowned,
        IReadOnlyList<Exception> unownedExceptions,
        IReadOnlyList<string> warnings,
        int attempts,
        TimeSpan settleTime,
        Lazy<CensusSnapshot> census)
    {
        GuardId = guardId;
        Leaks = leaks;
        UnobservedExceptions = unobservedExceptions;
        Timers = timers;
        Unowned = unowned;
        UnownedExceptions = unownedExceptions;
        Warnings = warnings;
        Attempts = attempts;
        SettleTime = settleTime;
        _census = census;
    }

    /// <summary>The census, taken on first read when the guard did not need one.</summary>
    private readonly Lazy<CensusSnapshot> _census;

    /// <summary>Gets the id of the guard that wrote the report (the owner recorded on its operations).</summary>
    public string GuardId { get; }

    /// <summary>Gets every operation the guarded code started that is still pending or was abandoned.</summary>
    public IReadOnlyList<LeakedOperation> Leaks { get; }

    /// <summary>Gets the task exceptions raised by the guarded code that nobody observed.</summary>
    public IReadOnlyList<Exception> UnobservedExceptions { get; }

    /// <summary>Gets the <see cref="System.Threading.Timer"/>s the guarded code created and left running (found through
    /// the execution context each timer captured; <c>Task.Delay</c> timers are in <see cref="Leaks"/> instead).</summary>
    public IReadOnlyList<LeakedTimer> Timers { get; }

    /// <summary>Gets pending operations with no owner (started with the execution context's flow suppressed) begun
    /// while the guard ran. They are shown, never blamed: any code in the process may have started them.</summary>
    public IReadOnlyList<PendingOperation> Unowned { get; }

    /// <summary>Gets unobserved task exceptions with no owner raised while the guard ran; shown, never blamed.</summary>
    public IReadOnlyList<Exception> UnownedExceptions { get; }

    /// <summary>Gets what limited the check (a runtime field missing, a PDB not found).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Gets how many times the guard looked before judging.</summary>
    public int Attempts { get; }

    /// <summary>Gets how long the guard waited for pending work to finish before judging.</summary>
    public TimeSpan SettleTime { get; }

    /// <summary>Gets the last census the guard took (every pending operation of the process).</summary>
    /// <remarks>When nothing the guard owns was pending or failed, the guard judged from the work begun since it started
    /// and took no census of the whole process; it is then taken when this property is first read.</remarks>
    public CensusSnapshot Census => _census.Value;

    /// <summary>Gets a value indicating whether the guard judged only the work begun since it started (its fast path:
    /// nothing owned was pending, abandoned or failed) instead of a census of the whole process.</summary>
    internal bool JudgedRecentWorkOnly { get; init; }

    /// <summary>Gets a value indicating whether the guarded code leaked work or left an exception unobserved.</summary>
    public bool HasLeaks => Leaks.Count > 0 || UnobservedExceptions.Count > 0 || Timers.Count > 0;

    /// <summary>Returns the human report: leaks grouped by await site with their creation site and async stack.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => LeakReportWriter.Write(this);
}
