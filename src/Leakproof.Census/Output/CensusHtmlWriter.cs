using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace Leakproof.Census.Output;

/// <summary>
/// Writes a census as one self-contained HTML page: inline CSS, a small inline script (table sorting only) and an
/// inline SVG histogram; nothing is loaded from elsewhere, so the file works offline and under a strict CSP.
/// </summary>
/// <remarks>
/// Every string from the snapshot is HTML-encoded (method names hold <c>&lt;</c> and <c>&gt;</c>). The
/// <c>data-testid</c> attributes and element ids are a stable contract for tests and scripts; see <c>docs/html-report.md</c>.
/// </remarks>
internal static class CensusHtmlWriter
{
    /// <summary>The histogram's buckets: an upper bound (exclusive) and a label.</summary>
    private static readonly (TimeSpan UpperBound, string Label)[] s_buckets =
    [
        (TimeSpan.FromSeconds(1), "<1s"),
        (TimeSpan.FromSeconds(10), "1–10s"),
        (TimeSpan.FromSeconds(60), "10–60s"),
        (TimeSpan.FromMinutes(10), "1–10min"),
        (TimeSpan.MaxValue, ">10min"),
    ];

    /// <summary>Writes the census.</summary>
    /// <param name="snapshot">The census.</param>
    /// <returns>The HTML text.</returns>
    public static string Write(CensusSnapshot snapshot)
    {
        var html = new StringBuilder(16 * 1024);
        string title = $"Leakproof census: {snapshot.Process.ProcessName} ({snapshot.Process.ProcessId})";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(E(title)).Append("</title>\n<style>").Append(CensusHtmlAssets.Style).Append("</style>\n</head>\n<body>\n");
        WriteHeader(html, snapshot, title);
        WriteHistogram(html, snapshot);
        WriteGroups(html, snapshot);
        WriteChains(html, snapshot);
        WriteAbandoned(html, snapshot);
        html.Append("<script>").Append(CensusHtmlAssets.Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Returns the index of the histogram bucket an age falls into.</summary>
    /// <param name="age">The age.</param>
    /// <returns>The bucket index.</returns>
    internal static int BucketOf(TimeSpan age)
    {
        for (int i = 0; i < s_buckets.Length - 1; i++)
        {
            if (age < s_buckets[i].UpperBound)
            {
                return i;
            }
        }

        return s_buckets.Length - 1;
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static string Seconds(TimeSpan age) => age.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Site(CensusFrame? frame) =>
        frame is null ? string.Empty : frame.File is null ? "(no source line)" : $"{frame.File}:{frame.Line}";

    private static void WriteHeader(StringBuilder html, CensusSnapshot snapshot, string title)
    {
        CensusProcessInfo process = snapshot.Process;
        html.Append("<header>\n<h1>").Append(E(title)).Append("</h1>\n<dl data-testid=\"summary\">\n");
        Term(html, "Captured at", snapshot.CapturedAt.ToString("O", CultureInfo.InvariantCulture), "captured-at");
        Term(html, "Source", snapshot.Source, "source");
        Term(html, "Pending", $"{snapshot.Operations.Count} operations in {snapshot.Groups.Count} groups", "totals");
        Term(html, "Abandoned", snapshot.Abandoned.Count.ToString(CultureInfo.InvariantCulture), "abandoned-count");
        Term(html, "Runtime", $"{process.Runtime} on {process.OperatingSystem}, {process.ProcessorCount} processors", "runtime");
        Term(html, "Schema", snapshot.SchemaVersion.ToString(CultureInfo.InvariantCulture), "schema-version");
        html.Append("</dl>\n");
        if (snapshot.Warnings.Count > 0)
        {
            html.Append("<ul class=\"warnings\" id=\"warnings\">\n");
            foreach (string warning in snapshot.Warnings)
            {
                html.Append("<li data-testid=\"warning\">").Append(E(warning)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</header>\n");
    }

    private static void Term(StringBuilder html, string term, string value, string testId) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd data-testid=\"").Append(testId).Append("\">").Append(E(value)).Append("</dd>\n");

    private static void WriteHistogram(StringBuilder html, CensusSnapshot snapshot)
    {
        int[] counts = new int[s_buckets.Length];
        foreach (PendingOperation operation in snapshot.Operations)
        {
            counts[BucketOf(operation.Age)]++;
        }

        int max = Math.Max(1, counts.Max());
        const int BarWidth = 90, Gap = 20, Height = 120, Top = 20, Bottom = 40;
        int width = (s_buckets.Length * (BarWidth + Gap)) + Gap;
        html.Append("<section id=\"histogram\">\n<h2>Ages of pending operations</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<svg data-testid=\"histogram\" role=\"img\" aria-label=\"Histogram of operation ages\" width=\"{width}\" height=\"{Height + Top + Bottom}\" viewBox=\"0 0 {width} {Height + Top + Bottom}\">\n");
        for (int i = 0; i < s_buckets.Length; i++)
        {
            int barHeight = counts[i] == 0 ? 0 : Math.Max(2, counts[i] * Height / max);
            int x = Gap + (i * (BarWidth + Gap));
            int y = Top + Height - barHeight;
            string label = E(s_buckets[i].Label);
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" data-testid=\"histogram-bar\" data-bucket=\"{label}\" data-count=\"{counts[i]}\" x=\"{x}\" y=\"{y}\" width=\"{BarWidth}\" height=\"{barHeight}\"><title>{label}: {counts[i]}</title></rect>\n");
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (BarWidth / 2)}\" y=\"{y - 4}\" text-anchor=\"middle\">{counts[i]}</text>\n");
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (BarWidth / 2)}\" y=\"{Top + Height + 18}\" text-anchor=\"middle\">{label}</text>\n");
        }

        html.Append("</svg>\n</section>\n");
    }

    private static void WriteGroups(StringBuilder html, CensusSnapshot snapshot)
    {
        html.Append("<section id=\"groups\">\n<h2>Groups by await site</h2>\n");
        html.Append("<p class=\"hint\">Click a column header to sort.</p>\n<table id=\"groups-table\" data-testid=\"groups-table\">\n<thead><tr>");
        Header(html, "Await site", "site", "text");
        Header(html, "Source line", "line", "text");
        Header(html, "Count", "count", "number");
        Header(html, "Oldest", "oldest", "number");
        Header(html, "Youngest", "youngest", "number");
        Header(html, "Kind", "kind", "text");
        Header(html, "Awaiting", "awaiting", "text");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (CensusGroup group in snapshot.Groups)
        {
            string method = group.Site?.Method ?? group.Key;
            string site = Site(group.Site);
            string awaiting = group.Awaiting is { } target ? $"{target.Kind} {target.TypeName}" : string.Empty;
            html.Append("<tr data-testid=\"group-row\" data-key=\"").Append(E(group.Key)).Append("\">");
            Cell(html, "site", method, method);
            Cell(html, "line", site, site);
            Cell(html, "count", group.Count.ToString(CultureInfo.InvariantCulture), group.Count.ToString(CultureInfo.InvariantCulture));
            Cell(html, "oldest", CensusTextWriter.FormatAge(group.OldestAge), Seconds(group.OldestAge));
            Cell(html, "youngest", CensusTextWriter.FormatAge(group.YoungestAge), Seconds(group.YoungestAge));
            Cell(html, "kind", group.Kind.ToString(), group.Kind.ToString());
            Cell(html, "awaiting", awaiting, awaiting);
            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        if (snapshot.Groups.Count == 0)
        {
            html.Append("<p data-testid=\"no-groups\">No pending operations.</p>\n");
        }

        html.Append("</section>\n");
    }

    private static void Header(StringBuilder html, string label, string column, string type) =>
        html.Append("<th data-testid=\"sort-").Append(column).Append("\" data-column=\"").Append(column)
            .Append("\" data-type=\"").Append(type).Append("\" tabindex=\"0\" aria-sort=\"none\">").Append(E(label)).Append("</th>");

    private static void Cell(StringBuilder html, string column, string text, string sortValue) =>
        html.Append("<td data-column=\"").Append(column).Append("\" data-value=\"").Append(E(sortValue)).Append("\">").Append(E(text)).Append("</td>");

    private static void WriteChains(StringBuilder html, CensusSnapshot snapshot)
    {
        html.Append("<section id=\"chains\">\n<h2>Async stacks (coalesced)</h2>\n");
        if (snapshot.Chains.Count == 0)
        {
            html.Append("<p data-testid=\"no-chains\">No async stacks in this census.</p>\n</section>\n");
            return;
        }

        html.Append("<p class=\"hint\">Innermost frame first; open a chain to walk out to its callers.</p>\n<div data-testid=\"chain-tree\">\n");
        foreach (CensusChainGroup chain in snapshot.Chains)
        {
            html.Append(CultureInfo.InvariantCulture, $"<details class=\"chain\" data-testid=\"chain\" data-count=\"{chain.Count}\">\n<summary>");
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"count\">{chain.Count} ×</span> ");
            html.Append(E(chain.Frames.Count > 0 ? chain.Frames[0].ToString() : "(empty stack)"));
            if (chain.Frames.Count > 1 && chain.Frames[0].File is null)
            {
                // A promise or combinator says little on its own: name the await site that waits on it.
                html.Append(" <span class=\"age\">awaited at</span> ").Append(E(chain.Frames[1].Method));
            }

            html.Append(" <span class=\"age\">oldest ").Append(E(CensusTextWriter.FormatAge(chain.OldestAge))).Append("</span></summary>\n");
            WriteFrames(html, chain.Frames, 1);
            html.Append("</details>\n");
        }

        html.Append("</div>\n</section>\n");
    }

    private static void WriteFrames(StringBuilder html, IReadOnlyList<CensusFrame> frames, int index)
    {
        // Nested lists render the stack as a tree: each caller sits one level under the frame it awaits.
        if (index >= frames.Count)
        {
            return;
        }

        html.Append("<ul><li data-testid=\"chain-frame\">").Append(E(frames[index].ToString()));
        WriteFrames(html, frames, index + 1);
        html.Append("</li></ul>\n");
    }

    private static void WriteAbandoned(StringBuilder html, CensusSnapshot snapshot)
    {
        html.Append("<section id=\"abandoned\">\n<h2>Abandoned operations</h2>\n");
        if (snapshot.Abandoned.Count == 0)
        {
            html.Append("<p data-testid=\"no-abandoned\">No async method was collected while suspended.</p>\n</section>\n");
            return;
        }

        html.Append("<p class=\"hint\">Collected while suspended: they can never resume, and their <code>finally</code> blocks never ran.</p>\n");
        html.Append("<table data-testid=\"abandoned-table\">\n<thead><tr><th>Method</th><th>Await site</th><th>Detected at</th><th>Owner</th></tr></thead>\n<tbody>\n");
        foreach (AbandonedOperation abandoned in snapshot.Abandoned)
        {
            html.Append("<tr data-testid=\"abandoned-row\"><td>").Append(E(abandoned.Method)).Append("</td><td>").Append(E(Site(abandoned.AwaitSite)));
            html.Append("</td><td>").Append(E(abandoned.DetectedAt.ToString("O", CultureInfo.InvariantCulture))).Append("</td><td>").Append(E(abandoned.Owner)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }
}
