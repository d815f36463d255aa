using System;

namespace Leakproof.Testing;

/// <summary>The exception thrown when a <see cref="LeakGuard"/> finds leaked async work.</summary>
public sealed class LeakDetectedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="LeakDetectedException"/> class.</summary>
    public LeakDetectedException()
        : this("Leaked async work was found.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LeakDetectedException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public LeakDetectedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LeakDetectedException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public LeakDetectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LeakDetectedException"/> class from a report.</summary>
    /// <param name="report">The report; its text becomes the message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public LeakDetectedException(LeakReport report)
        : base((report ?? throw new ArgumentNullException(nameof(report))).ToString())
    {
        Report = report;
    }

    /// <summary>Gets the report, when the exception was built from one.</summary>
    public LeakReport? Report { get; }
}
