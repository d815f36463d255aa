using System;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace Leakproof.Testing.NUnit;

/// <summary>
/// Fails each test that leaves async work behind. Put it on a test method, a fixture (every test in it) or the
/// assembly (every test in it); the test fails with the <see cref="LeakReport"/> as its message.
/// </summary>
/// <remarks>
/// The guard starts in <see cref="BeforeTest(ITest)"/>, on the flow NUnit then runs the test on, so only work the test
/// itself started is blamed, even when fixtures run in parallel.
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class LeakGuardAttribute : Attribute, ITestAction
{
    /// <summary>The guards of the tests running now, by test id (one attribute instance serves many tests).</summary>
    private readonly ConcurrentDictionary<string, LeakGuard> _guards = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the longest time the guard waits for the test's pending work to finish before judging.</summary>
    /// <value>The default value is 1000 milliseconds.</value>
    public int MaxSettleMilliseconds { get; set; } = 1000;

    /// <summary>Gets or sets a value indicating whether unobserved task exceptions fail the test.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CheckUnobservedExceptions { get; set; } = true;

    /// <summary>Gets the targets: each test, wherever the attribute is placed.</summary>
    public ActionTargets Targets => ActionTargets.Test;

    /// <summary>Starts the test's guard.</summary>
    /// <param name="test">The test.</param>
    /// <exception cref="ArgumentNullException"><paramref name="test"/> is <see langword="null"/>.</exception>
    public void BeforeTest(ITest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        _guards[test.Id] = LeakGuard.Start(new LeakGuardOptions
        {
            MaxSettleTime = TimeSpan.FromMilliseconds(MaxSettleMilliseconds),
            CheckUnobservedExceptions = CheckUnobservedExceptions,
        });
    }

    /// <summary>Judges the test's guard and fails the test when it leaked.</summary>
    /// <param name="test">The test.</param>
    /// <exception cref="ArgumentNullException"><paramref name="test"/> is <see langword="null"/>.</exception>
    /// <exception cref="AssertionException">The test leaked; the message is the report.</exception>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "Verifying judges the guard; disposing it afterwards does nothing.")]
    public void AfterTest(ITest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (_guards.TryRemove(test.Id, out LeakGuard? guard))
        {
            // NUnit's actions are synchronous; the settle loop never needs this thread (ConfigureAwait(false) throughout).
            guard.VerifyNoLeaksAsync(NUnitLeakReporter.Instance).GetAwaiter().GetResult();
        }
    }
}
