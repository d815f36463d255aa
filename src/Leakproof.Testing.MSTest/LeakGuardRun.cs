using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Testing.MSTest;

/// <summary>
/// Fails the run (or a class) when work begun by its tests is still pending at the end (goleak's
/// <c>VerifyTestMain</c>): call <see cref="Start"/> from <c>[AssemblyInitialize]</c> (or <c>[ClassInitialize]</c>) and
/// <see cref="VerifyAsync"/> from <c>[AssemblyCleanup]</c> (or <c>[ClassCleanup]</c>).
/// </summary>
/// <remarks>
/// Every operation begun after <see cref="Start"/> counts, whoever started it: for a class, work of classes running in
/// parallel with it counts too. The failure names the await sites, not a test; derive from <see cref="LeakGuardedTest"/>
/// to blame single tests.
/// </remarks>
public static class LeakGuardRun
{
    /// <summary>Starts a run guard.</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults; work pending now is always ignored.</param>
    /// <returns>The guard; keep it in a static field until the matching cleanup.</returns>
    public static LeakGuard Start(LeakGuardOptions? options = null) => LeakGuard.StartTestRun(options);

    /// <summary>Judges a run guard; fails the cleanup (and with it the run) when work is still pending.</summary>
    /// <param name="guard">The guard <see cref="Start"/> returned.</param>
    /// <param name="cancellationToken">Cancels the settling wait.</param>
    /// <returns>The report.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="guard"/> is <see langword="null"/>.</exception>
    /// <exception cref="Microsoft.VisualStudio.TestTools.UnitTesting.AssertFailedException">Work begun since <see cref="Start"/> is still pending; the message is the report.</exception>
    public static Task<LeakReport> VerifyAsync(LeakGuard guard, CancellationToken cancellationToken = default)
    {
        System.ArgumentNullException.ThrowIfNull(guard);
        return guard.VerifyNoLeaksAsync(MSTestLeakReporter.Instance, cancellationToken);
    }
}
