using Leakproof.Census;

namespace Leakproof.Tool.Routes;

/// <summary>Renders a census for <c>--format</c>.</summary>
internal static class CensusFormats
{
    public static string Render(CensusSnapshot snapshot, string format, string detail) => format switch
    {
        "json" => snapshot.ToJson(indented: true),
        "html" => snapshot.ToHtml(),
        _ => snapshot.ToText(detail == "all" ? CensusTextDetail.Operations : CensusTextDetail.Groups),
    };
}
