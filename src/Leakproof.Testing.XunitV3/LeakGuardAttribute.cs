using System;
using System.Collections.Concurrent;
using System.Reflection;
using Xunit.v3;

namespace Leakproof.Testing.XunitV3;

/// <summary>
/// Fails each test that leaves async work behind. Put it on a test method, a test class (every test in it) or the
/// assembly (every test in it); the test fails with the <see cref="LeakReport"/> as its message.
/// </summary>
/// <remarks>
/// The guard starts in <see cref="Before(MethodInfo, IXunitTest)"/> on the flow xUnit then runs the test on, so only
/// work the test itself started is blamed, even when test classes run in parallel.
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class LeakGuardAttribute : BeforeAfterTestAttribute
{
    /// <summary>The guards of the tests running now, by test unique id (one attribute instance serves many tests).</summary>
    private readonly ConcurrentDictionary<string, LeakGuard> _guards = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the longest time the guard waits for the test's pending work to finish before judging.</summary>
    /// <value>The default value is 1000 milliseconds.</value>
    public int MaxSettleMilliseconds { get; set; } = 1000;

    /// <summary>Gets or sets a value indicating whether unobserved task exceptions fail the test.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CheckUnobservedExceptions { get; set; } = true;

    /// <summary>Starts the test's guard.</summary>
    /// <param name="methodUnderTest">The test method.</param>
    /// <param name="test">The test.</param>
    /// <exception cref="ArgumentNullException"><paramref name="test"/> is <see langword="null"/>.</exception>
    public override void Before(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        _guards[test.UniqueID] = LeakGuard.Start(CreateOptions());
    }

    /// <summary>Judges the test's guard and fails the test when it leaked.</summary>
    /// <param name="methodUnderTest">The test method.</param>
    /// <param name="test">The test.</param>
    /// <exception cref="ArgumentNullException"><paramref name="test"/> is <see langword="null"/>.</exception>
    /// <exception cref="LeakDetectedException">The test leaked; the message is the report.</exception>
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (_guards.TryRemove(test.UniqueID, out LeakGuard? guard))
        {
            // xUnit's hooks are synchronous; the settle loop never needs this thread (ConfigureAwait(false) throughout).
            guard.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private LeakGuardOptions CreateOptions() => new()
    {
        MaxSettleTime = TimeSpan.FromMilliseconds(MaxSettleMilliseconds),
        CheckUnobservedExceptions = CheckUnobservedExceptions,
    };
}
