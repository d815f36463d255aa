using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using Leakproof.Census;

namespace Leakproof.Tool.Diff;

/// <summary>Compares two censuses by await site.</summary>
internal static class CensusDiff
{
    public static IReadOnlyList<SiteChange> Compare(CensusSnapshot before, CensusSnapshot after)
    {
        Dictionary<string, CensusGroup> a = Index(before);
        Dictionary<string, CensusGroup> b = Index(after);
        var changes = new List<SiteChange>();
        foreach (string key in a.Keys.Union(b.Keys))
        {
            a.TryGetValue(key, out CensusGroup? x);
            b.TryGetValue(key, out CensusGroup? y);
            int n = x?.Count ?? 0;
            int m = y?.Count ?? 0;
            string change = (x, y) switch
            {
                (null, _) => "appeared",
                (_, null) => "vanished",
                _ when m > n => "grew",
                _ when m < n => "shrank",
                _ => "unchanged",
            };
            changes.Add(new SiteChange(key, Describe(y ?? x!), change, n, m));
        }

        return changes
            .OrderByDescending(c => System.Math.Abs(c.Delta))
            .ThenBy(c => c.Key, System.StringComparer.Ordinal)
            .ToList();
    }

    public static string ToText(IReadOnlyList<SiteChange> changes, CensusSnapshot before, CensusSnapshot after)
    {
        var text = new StringBuilder();
        // A groups-only census (the text report's default capture) lists no operation: its groups count them.
        long was = Routes.CensusFormats.PendingCount(before);
        long now = Routes.CensusFormats.PendingCount(after);
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"census diff: {was} -> {now} pending operations ({now - was:+#;-#;0})\n");
        foreach (string change in new[] { "grew", "appeared", "shrank", "vanished" })
        {
            List<SiteChange> these = changes.Where(c => c.Change == change).ToList();
            if (these.Count == 0)
            {
                continue;
            }

            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n{change} ({these.Count}):\n");
            foreach (SiteChange c in these)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"  {c.Delta,+7:+#;-#;0}  {c.Before,6} -> {c.After,-6}  {c.Site}\n");
            }
        }

        int unchanged = changes.Count(c => c.Change == "unchanged");
        if (unchanged > 0)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\nunchanged: {unchanged} sites\n");
        }

        return text.ToString();
    }

    public static string ToJson(IReadOnlyList<SiteChange> changes)
    {
        using var stream = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("sites");
            foreach (SiteChange c in changes)
            {
                writer.WriteStartObject();
                writer.WriteString("key", c.Key);
                writer.WriteString("site", c.Site);
                writer.WriteString("change", c.Change);
                writer.WriteNumber("before", c.Before);
                writer.WriteNumber("after", c.After);
                writer.WriteNumber("delta", c.Delta);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static Dictionary<string, CensusGroup> Index(CensusSnapshot snapshot)
    {
        var index = new Dictionary<string, CensusGroup>(System.StringComparer.Ordinal);
        foreach (CensusGroup group in snapshot.Groups)
        {
            index.TryAdd(group.Key, group);
        }

        return index;
    }

    private static string Describe(CensusGroup group) =>
        group.Site is { } site
            ? site.File is null ? site.Method : $"{site.Method} ({site.File}:{site.Line})"
            : group.Key;
}
