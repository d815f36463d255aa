namespace Leakproof.Testing;

/// <summary>
/// Receives a failing leak report. Test framework adapters implement it to fail a test or a whole run in their own
/// way (an assertion failure, a failed assembly cleanup), so the checker depends on no framework.
/// </summary>
public interface ILeakTestReporter
{
    /// <summary>Reports leaks; called only when <see cref="LeakReport.HasLeaks"/> is <see langword="true"/>.</summary>
    /// <param name="report">The report; <see cref="LeakReport.ToString"/> is the human message.</param>
    void ReportLeaks(LeakReport report);
}
