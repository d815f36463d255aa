using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Leakproof.Testing.MSTest;

/// <summary>
/// Fails each test of a derived class that leaves async work behind, with the <see cref="LeakReport"/> as its message.
/// </summary>
/// <remarks>
/// MSTest runs <see cref="StartLeakGuard"/> ([TestInitialize]) on the test's own execution context, so only work the
/// test itself started is blamed, even when tests run in parallel.
/// </remarks>
public abstract class LeakGuardedTest
{
    /// <summary>The running test's guard.</summary>
    private LeakGuard? _guard;

    /// <summary>Gets the options for each test's guard; override to ignore known background work.</summary>
    /// <returns>The options, or <see langword="null"/> for the defaults.</returns>
    protected virtual LeakGuardOptions? LeakGuardOptions => null;

    /// <summary>Starts the test's guard. MSTest calls it before each test.</summary>
    [TestInitialize]
    public void StartLeakGuard() => _guard = LeakGuard.Start(LeakGuardOptions);

    /// <summary>Judges the test's guard. MSTest calls it after each test.</summary>
    /// <returns>A task that completes when the check passed.</returns>
    /// <exception cref="AssertFailedException">The test leaked; the message is the report.</exception>
    [TestCleanup]
    public async Task VerifyLeakGuardAsync()
    {
        LeakGuard? guard = _guard;
        _guard = null;
        if (guard is not null)
        {
            await guard.VerifyNoLeaksAsync(MSTestLeakReporter.Instance).ConfigureAwait(false);
        }
    }
}
