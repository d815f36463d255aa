using Leakproof.Census;

namespace Snippets.Docs;

/// <summary>docs/html-report.md.</summary>
internal static class HtmlReportUsage
{
    public static void WriteReport()
    {
        // begin-snippet: html-report
        AsyncCensus.Enable();
        // … run the workload …
        File.WriteAllText("census.html", AsyncCensus.Capture().ToHtml());
        // end-snippet
    }
}
