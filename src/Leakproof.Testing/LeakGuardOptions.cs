using System;
using System.Collections.Generic;

namespace Leakproof.Testing;

/// <summary>Configures a <see cref="LeakGuard"/>: how long to settle, what to ignore, and what else to check.</summary>
/// <remarks>An operation is ignored when any frame of its logical async stack, or its description, matches an ignore rule.</remarks>
public sealed class LeakGuardOptions
{
    /// <summary>Namespaces of test hosts and runtimes whose background work is ignored by default.</summary>
    private static readonly string[] s_defaultIgnoredNamespaces =
        ["Xunit", "Microsoft.Testing", "Microsoft.VisualStudio.TestPlatform", "NUnit", "Microsoft.VisualStudio.TestTools"];

    /// <summary>Gets or sets the clock the guard waits on while it settles.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets how many times the guard looks again, with exponential backoff, while guarded work is pending.</summary>
    /// <value>The default value is 20. Zero judges at once.</value>
    public int MaxRetries { get; set; } = 20;

    /// <summary>Gets or sets the first wait between looks.</summary>
    /// <value>The default value is 1 millisecond.</value>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Gets or sets the longest wait between looks.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets the most time spent settling in total.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan MaxSettleTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets a value indicating whether work already pending at <see cref="LeakGuard.Start(LeakGuardOptions?)"/> is ignored
    /// (it matters for work with no owner, and for <see cref="LeakGuard.StartTestRun"/>, which always ignores it).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IgnoreCurrent { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether known test-host and runtime background work is ignored.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseDefaultIgnores { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether task exceptions nobody observed fail the guard (found after a forced garbage collection).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CheckUnobservedExceptions { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether <see cref="System.Threading.Timer"/>s the guarded code left running fail the guard.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CheckTimers { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether a stack is captured when each operation begins, for "created at" in reports.</summary>
    /// <value>The default value is <see langword="false"/> (it costs several microseconds per operation).</value>
    public bool CaptureCreationStacks { get; set; }

    /// <summary>Gets the ignored methods (<c>Namespace.Type.Method</c>).</summary>
    internal List<string> IgnoredMethods { get; } = [];

    /// <summary>Gets the ignored types (<c>Namespace.Type</c>).</summary>
    internal List<string> IgnoredTypes { get; } = [];

    /// <summary>Gets the ignored namespaces.</summary>
    internal List<string> IgnoredNamespaces { get; } = [];

    /// <summary>Gets the ignored await sites (file name or path suffix, line).</summary>
    internal List<(string File, int Line)> IgnoredAwaitSites { get; } = [];

    /// <summary>Gets the namespaces ignored by default.</summary>
    internal static IReadOnlyList<string> DefaultIgnoredNamespaces => s_defaultIgnoredNamespaces;

    /// <summary>Ignores operations with a frame in this method.</summary>
    /// <param name="method">The method as <c>Namespace.Type.Method</c>.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="method"/> is empty.</exception>
    public LeakGuardOptions IgnoreMethod(string method)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        IgnoredMethods.Add(method);
        return this;
    }

    /// <summary>Ignores operations with a frame in a method of this type (nested closures and state machines included).</summary>
    /// <param name="type">The type.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is <see langword="null"/>.</exception>
    public LeakGuardOptions IgnoreType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        IgnoredTypes.Add((type.FullName ?? type.Name).Replace('+', '.'));
        return this;
    }

    /// <summary>Ignores operations with a frame in this namespace or below it.</summary>
    /// <param name="namespaceName">The namespace.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="namespaceName"/> is empty.</exception>
    public LeakGuardOptions IgnoreNamespace(string namespaceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(namespaceName);
        IgnoredNamespaces.Add(namespaceName);
        return this;
    }

    /// <summary>Ignores operations suspended (or with a frame) at this await site.</summary>
    /// <param name="file">The source file: a full path or its ending, such as <c>Worker.cs</c>.</param>
    /// <param name="line">The line of the await.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="file"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="line"/> is not positive.</exception>
    public LeakGuardOptions IgnoreAwaitSite(string file, int line)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(line);
        IgnoredAwaitSites.Add((file, line));
        return this;
    }

    /// <summary>Checks the options once, when a guard starts.</summary>
    /// <exception cref="ArgumentNullException"><see cref="TimeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count or duration is negative, or the delays contradict each other.</exception>
    public void Validate()
    {
        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), $"{nameof(LeakGuardOptions)}.{nameof(TimeProvider)} must not be null.");
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, $"{nameof(LeakGuardOptions)}.{nameof(MaxRetries)} must not be negative.");
        }

        if (MaxSettleTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSettleTime), MaxSettleTime, $"{nameof(LeakGuardOptions)}.{nameof(MaxSettleTime)} must not be negative.");
        }

        if (InitialRetryDelay <= TimeSpan.Zero || MaxRetryDelay < InitialRetryDelay)
        {
            throw new ArgumentOutOfRangeException(
                nameof(InitialRetryDelay),
                InitialRetryDelay,
                $"{nameof(LeakGuardOptions)}.{nameof(InitialRetryDelay)} must be positive and no longer than {nameof(LeakGuardOptions)}.{nameof(MaxRetryDelay)} ({MaxRetryDelay}).");
        }
    }
}
