using System;
using Leakproof.AspNetCore.Internal;
using Leakproof.Census;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Leakproof;

/// <summary>Provides the extension that maps the Leakproof diagnostics endpoint (the census of pending async work).</summary>
public static class LeakproofDiagnosticsEndpointRouteBuilderExtensions
{
    /// <summary>The default route of the endpoint.</summary>
    public const string DefaultPattern = "/debug/leakproof";

    /// <summary>
    /// Maps an endpoint that serves a census of this process's pending async work on <c>GET</c> and <c>HEAD</c>: text
    /// (like pprof's goroutine profile; <c>?debug=2</c> lists every operation), JSON (<c>Accept: application/json</c>
    /// or <c>?format=json</c>, the schema the command-line tool writes) or a self-contained HTML page
    /// (<c>Accept: text/html</c> or <c>?format=html</c>). Enables <see cref="AsyncCensus"/> if it is not yet enabled.
    /// </summary>
    /// <param name="endpoints">The route builder to map on.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <returns>The endpoint's convention builder, so hosts can chain <c>RequireAuthorization(…)</c>.</returns>
    /// <remarks>
    /// <para>Nothing is exposed unless this is called. Without authorization metadata on the endpoint
    /// (<see cref="Microsoft.AspNetCore.Authorization.IAuthorizeData"/> or an
    /// <see cref="Microsoft.AspNetCore.Authorization.AuthorizationPolicy"/>, as added by <c>RequireAuthorization</c>),
    /// requests from other than a loopback address are refused with 403: the census names methods, source files and
    /// owners. With authorization metadata, the policy decides and any address is served.</para>
    /// <para>Only operations created after the census is enabled are seen; call <see cref="AsyncCensus.Enable"/> at the top
    /// of <c>Program.cs</c> to see work started before the endpoint is mapped.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty or white space.</exception>
    public static IEndpointConventionBuilder MapLeakproofDiagnostics(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        AsyncCensus.Enable();
        return endpoints.MapMethods(pattern, DiagnosticsEndpoint.Methods, DiagnosticsEndpoint.HandleAsync)
            .WithDisplayName("Leakproof diagnostics");
    }
}
