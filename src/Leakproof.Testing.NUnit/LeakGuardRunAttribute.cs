using System;
using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace Leakproof.Testing.NUnit;

/// <summary>
/// Fails the assembly (or fixture) when work begun by its tests is still pending once they all ran (goleak's
/// <c>VerifyTestMain</c>). Put it on the assembly: <c>[assembly: LeakGuardRun]</c>.
/// </summary>
/// <remarks>
/// Every operation begun after the suite started counts, whoever started it: on a fixture, work of fixtures running
/// in parallel with it counts too. The failure names the await sites, not a test; use <see cref="LeakGuardAttribute"/>
/// to blame single tests.
/// <para>
/// NUnit reports a failing suite teardown as a failed suite, but NUnit3TestAdapter (VSTest and Microsoft.Testing.Platform)
/// does not turn it into a failed run; the report is therefore also written to the standard error stream.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class LeakGuardRunAttribute : Attribute, ITestAction
{
    /// <summary>The suite's guard, while it runs.</summary>
    private LeakGuard? _guard;

    /// <summary>Gets the targets: the suite the attribute is placed on.</summary>
    public ActionTargets Targets => ActionTargets.Suite;

    /// <summary>Starts the suite's guard.</summary>
    /// <param name="test">The suite.</param>
    public void BeforeTest(ITest test) => _guard = LeakGuard.StartTestRun();

    /// <summary>Judges the suite's guard and fails the suite when work is still pending.</summary>
    /// <param name="test">The suite.</param>
    /// <exception cref="AssertionException">Work begun during the suite is still pending; the message is the report.</exception>
    public void AfterTest(ITest test)
    {
        LeakGuard? guard = _guard;
        _guard = null;
        guard?.VerifyNoLeaksAsync(NUnitLeakReporter.Suite).GetAwaiter().GetResult();
    }
}
