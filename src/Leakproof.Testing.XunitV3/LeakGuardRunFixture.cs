using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Tasks;
using Xunit;

namespace Leakproof.Testing.XunitV3;

/// <summary>
/// Fails the test run when work begun by its tests is still pending at the end (goleak's <c>VerifyTestMain</c>).
/// Register it with <c>[assembly: AssemblyFixture(typeof(LeakGuardRunFixture))]</c>.
/// </summary>
/// <remarks>
/// Every operation begun after the fixture was created counts, whoever started it: the failure names the await sites,
/// not a test. Use <see cref="LeakGuardAttribute"/> to blame single tests.
/// </remarks>
public sealed class LeakGuardRunFixture : IAsyncLifetime, ILeakTestReporter
{
    /// <summary>The assembly-wide guard.</summary>
    [SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "Judging it is what disposing would do; it is judged in DisposeAsync.")]
    private readonly LeakGuard _guard;

    /// <summary>Initializes a new instance of the <see cref="LeakGuardRunFixture"/> class and starts the run's guard.</summary>
    public LeakGuardRunFixture()
    {
        _guard = LeakGuard.StartTestRun();
    }

    /// <summary>Gets the report taken when the run ended, or <see langword="null"/> before that.</summary>
    public LeakReport? Report { get; private set; }

    /// <summary>Does nothing: the guard started in the constructor.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>Judges the run; fails it when work is still pending.</summary>
    /// <returns>A task that completes when the check passed.</returns>
    /// <exception cref="LeakDetectedException">Work begun during the run is still pending; the message is the report.</exception>
    public async ValueTask DisposeAsync()
    {
        Report = await _guard.VerifyNoLeaksAsync(this).ConfigureAwait(false);
    }

    /// <summary>Fails the run with the report.</summary>
    /// <param name="report">The report.</param>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    /// <exception cref="LeakDetectedException">Always: that is how xUnit fails the run.</exception>
    public void ReportLeaks(LeakReport report) => throw new LeakDetectedException(report);
}
