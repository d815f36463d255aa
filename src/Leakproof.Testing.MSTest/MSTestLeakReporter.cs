using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Leakproof.Testing.MSTest;

/// <summary>Fails the current MSTest test or cleanup with a leak report.</summary>
internal sealed class MSTestLeakReporter : ILeakTestReporter
{
    private MSTestLeakReporter()
    {
    }

    /// <summary>Gets the one instance.</summary>
    public static MSTestLeakReporter Instance { get; } = new();

    /// <inheritdoc/>
    public void ReportLeaks(LeakReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Assert.Fail(report.ToString());
    }
}
