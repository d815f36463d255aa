using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Leakproof.Census;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Leakproof.AspNetCore.Internal;

/// <summary>Chooses the response format from <c>?format=</c> (which wins) or the <c>Accept</c> header, and the text detail from <c>?debug=</c>.</summary>
internal static class DiagnosticsFormatNegotiator
{
    /// <summary>Chooses the format and detail of a request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="format">The chosen format.</param>
    /// <param name="detail">The chosen text detail.</param>
    /// <param name="error">Why the request is bad, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the query is valid.</returns>
    public static bool TryChoose(HttpRequest request, out DiagnosticsFormat format, out CensusTextDetail detail, [NotNullWhen(false)] out string? error)
    {
        format = DiagnosticsFormat.Text;
        detail = CensusTextDetail.Groups;
        string? debug = request.Query["debug"];
        if (debug is not null)
        {
            switch (debug)
            {
                case "1": detail = CensusTextDetail.Groups; break;
                case "2": detail = CensusTextDetail.Operations; break;
                default:
                    error = $"Unsupported debug value '{debug}': use debug=1 (groups by await site) or debug=2 (every operation).";
                    return false;
            }
        }

        string? requested = request.Query["format"];
        if (requested is not null)
        {
            switch (requested.ToUpperInvariant())
            {
                case "TEXT": format = DiagnosticsFormat.Text; break;
                case "JSON": format = DiagnosticsFormat.Json; break;
                case "HTML": format = DiagnosticsFormat.Html; break;
                default:
                    error = $"Unsupported format '{requested}': use format=text, format=json or format=html (or send Accept: text/plain, application/json or text/html).";
                    return false;
            }
        }
        else
        {
            format = FromAccept(request.GetTypedHeaders().Accept);
        }

        error = null;
        return true;
    }

    private static DiagnosticsFormat FromAccept(IList<MediaTypeHeaderValue> accept)
    {
        // The highest-quality type we serve wins; ties go to the earlier entry. Nothing we serve (or */*) means text,
        // so curl and scripts get the pprof-style text and browsers (text/html first) get the page.
        DiagnosticsFormat best = DiagnosticsFormat.Text;
        double bestQuality = -1;
        foreach (MediaTypeHeaderValue value in accept)
        {
            DiagnosticsFormat? format = value.MediaType.Value?.ToUpperInvariant() switch
            {
                "APPLICATION/JSON" => DiagnosticsFormat.Json,
                "TEXT/HTML" => DiagnosticsFormat.Html,
                "TEXT/PLAIN" => DiagnosticsFormat.Text,
                _ => null,
            };
            double quality = value.Quality ?? 1.0;
            if (format is { } chosen && quality > 0 && quality > bestQuality)
            {
                best = chosen;
                bestQuality = quality;
            }
        }

        return best;
    }
}
