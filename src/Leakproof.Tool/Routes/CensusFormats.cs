using System.Linq;
using Leakproof.Census;

namespace Leakproof.Tool.Routes;

/// <summary>Renders a census for <c>--format</c>.</summary>
internal static class CensusFormats
{
    /// <summary>The report as one string: HTML, or JSON where standard output cannot be streamed (a captured console). Text and files are streamed instead.</summary>
    public static string Render(CensusSnapshot snapshot, string format) => format == "json" ? snapshot.ToJson(indented: true) : snapshot.ToHtml();

    /// <summary>The text report's detail for <c>--detail</c>.</summary>
    public static CensusTextDetail TextDetail(string detail) => detail == "all" ? CensusTextDetail.Operations : CensusTextDetail.Groups;

    /// <summary>The number of pending operations: the operations listed, or for a groups-only census the groups' counts.</summary>
    public static long PendingCount(CensusSnapshot snapshot) =>
        snapshot.Operations.Count > 0 || snapshot.Groups.Count == 0 ? snapshot.Operations.Count : snapshot.Groups.Sum(g => (long)g.Count);
}
