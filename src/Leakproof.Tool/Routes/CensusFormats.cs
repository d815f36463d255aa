using System;
using Leakproof.Census;

namespace Leakproof.Tool.Routes;

/// <summary>Renders a census for <c>--format</c>.</summary>
internal static class CensusFormats
{
    /// <summary>The self-contained HTML report. One line to change when <c>CensusSnapshot.ToHtml()</c> lands.</summary>
    public static string Html(CensusSnapshot snapshot) => throw new NotSupportedException("HTML output is not available in this build of dotnet-leakproof; use --format text or json");

    public static string Render(CensusSnapshot snapshot, string format, string detail) => format switch
    {
        "json" => snapshot.ToJson(indented: true),
        "html" => Html(snapshot),
        _ => snapshot.ToText(detail == "all" ? CensusTextDetail.Operations : CensusTextDetail.Groups),
    };
}
