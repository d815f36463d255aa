using System;
using NUnit.Framework;

namespace Leakproof.Testing.NUnit;

/// <summary>Fails the current NUnit test or suite with a leak report.</summary>
internal sealed class NUnitLeakReporter : ILeakTestReporter
{
    /// <summary>Whether the report is also written to the standard error stream (suite failures, which the adapter hides).</summary>
    private readonly bool _toStandardError;

    private NUnitLeakReporter(bool toStandardError)
    {
        _toStandardError = toStandardError;
    }

    /// <summary>Gets the reporter that fails a test.</summary>
    public static NUnitLeakReporter Instance { get; } = new(toStandardError: false);

    /// <summary>Gets the reporter that fails a suite and writes the report to the standard error stream.</summary>
    public static NUnitLeakReporter Suite { get; } = new(toStandardError: true);

    /// <inheritdoc/>
    public void ReportLeaks(LeakReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string text = report.ToString();
        if (_toStandardError)
        {
            Console.Error.WriteLine(text);
        }

        Assert.Fail(text);
    }
}
