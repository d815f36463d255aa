using System.Linq;
using Leakproof.Census;

namespace Leakproof.Tool.Routes;

/// <summary>Renders a census for <c>--format</c>.</summary>
internal static class CensusFormats
{
    private const string TextHeader = "census: ";

    public static string Render(CensusSnapshot snapshot, string format, string detail) => format switch
    {
        "json" => snapshot.ToJson(indented: true),
        "html" => snapshot.ToHtml(),
        _ => Text(snapshot, detail),
    };

    /// <summary>The number of pending operations: the operations listed, or for a groups-only census the groups' counts.</summary>
    public static long PendingCount(CensusSnapshot snapshot) =>
        snapshot.Operations.Count > 0 || snapshot.Groups.Count == 0 ? snapshot.Operations.Count : snapshot.Groups.Sum(g => (long)g.Count);

    private static string Text(CensusSnapshot snapshot, string detail)
    {
        string text = snapshot.ToText(detail == "all" ? CensusTextDetail.Operations : CensusTextDetail.Groups);

        // A groups-only census lists no operations: the header counts them from the groups instead.
        if (snapshot.Operations.Count == 0 && snapshot.Groups.Count > 0 && text.StartsWith($"{TextHeader}0 ", System.StringComparison.Ordinal))
        {
            text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{TextHeader}{PendingCount(snapshot)} ") + text[(TextHeader.Length + 2)..];
        }

        return text;
    }
}
