using System.Net;
using System.Text;
using System.Threading.Tasks;
using Leakproof.Census;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Leakproof.AspNetCore.Internal;

/// <summary>Serves the census: guards the caller's address, negotiates the format, writes the body.</summary>
internal static class DiagnosticsEndpoint
{
    /// <summary>The HTTP methods the endpoint answers.</summary>
    public static readonly string[] Methods = ["GET", "HEAD"];

    /// <summary>The page's content security policy: no external resources, the inline style and script only.</summary>
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

    /// <summary>Handles one request.</summary>
    /// <param name="context">The request's context.</param>
    /// <returns>A task that completes when the response is written.</returns>
    public static Task HandleAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.Vary = "Accept";
        if (!IsAuthorizedByPolicy(context) && !IsLocal(context.Connection))
        {
            return WriteAsync(
                response,
                StatusCodes.Status403Forbidden,
                "text/plain; charset=utf-8",
                "The Leakproof diagnostics endpoint answers loopback requests only, because the census names methods, source files and owners. " +
                "To serve other addresses, attach an authorization policy to the endpoint: app.MapLeakproofDiagnostics().RequireAuthorization(\"policy\").\n");
        }

        if (!DiagnosticsFormatNegotiator.TryChoose(context.Request, out DiagnosticsFormat format, out CensusTextDetail detail, out string? error))
        {
            return WriteAsync(response, StatusCodes.Status400BadRequest, "text/plain; charset=utf-8", error + "\n");
        }

        CensusSnapshot census = AsyncCensus.Capture();
        return format switch
        {
            DiagnosticsFormat.Json => WriteAsync(response, StatusCodes.Status200OK, "application/json; charset=utf-8", census.ToJson(indented: true)),
            DiagnosticsFormat.Html => WriteHtmlAsync(response, census),
            _ => WriteAsync(response, StatusCodes.Status200OK, "text/plain; charset=utf-8", census.ToText(detail)),
        };
    }

    /// <summary>Tells whether the endpoint carries authorization metadata (which the authorization middleware enforced before us).</summary>
    /// <param name="context">The request's context.</param>
    /// <returns><see langword="true"/> when a policy guards the endpoint.</returns>
    internal static bool IsAuthorizedByPolicy(HttpContext context)
    {
        // Routing refuses to run an endpoint with authorization metadata when UseAuthorization is missing, so the
        // metadata's presence means the policy already ran. [AllowAnonymous] disables it, so it counts as no policy.
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata is null || metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return false;
        }

        return metadata.GetMetadata<IAuthorizeData>() is not null || metadata.GetMetadata<AuthorizationPolicy>() is not null;
    }

    /// <summary>Tells whether the caller is on this machine.</summary>
    /// <param name="connection">The request's connection.</param>
    /// <returns><see langword="true"/> for a loopback address, or for a connection without an IP peer (in-process test servers, Unix sockets).</returns>
    internal static bool IsLocal(ConnectionInfo connection)
    {
        IPAddress? remote = connection.RemoteIpAddress;
        if (remote is null)
        {
            return true;
        }

        return IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
    }

    private static Task WriteHtmlAsync(HttpResponse response, CensusSnapshot census)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        return WriteAsync(response, StatusCodes.Status200OK, "text/html; charset=utf-8", census.ToHtml());
    }

    private static Task WriteAsync(HttpResponse response, int status, string contentType, string body)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;

        // Kestrel drops the body of a HEAD response and keeps the headers, so HEAD reports the length GET would send.
        return HttpMethods.IsHead(response.HttpContext.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(bytes, response.HttpContext.RequestAborted).AsTask();
    }
}
