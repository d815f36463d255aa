using System.Linq;
using Leakproof.Census;

namespace Leakproof.Tool.Routes;

/// <summary>Renders a census for <c>--format</c>.</summary>
internal static class CensusFormats
{
    public static string Render(CensusSnapshot snapshot, string format, string detail) => format switch
    {
        "json" => snapshot.ToJson(indented: true),
        "html" => snapshot.ToHtml(),
        _ => snapshot.ToText(TextDetail(detail)),
    };

    /// <summary>The text report's detail for <c>--detail</c>.</summary>
    public static CensusTextDetail TextDetail(string detail) => detail == "all" ? CensusTextDetail.Operations : CensusTextDetail.Groups;

    /// <summary>The number of pending operations: the operations listed, or for a groups-only census the groups' counts.</summary>
    public static long PendingCount(CensusSnapshot snapshot) =>
        snapshot.Operations.Count > 0 || snapshot.Groups.Count == 0 ? snapshot.Operations.Count : snapshot.Groups.Sum(g => (long)g.Count);
}
