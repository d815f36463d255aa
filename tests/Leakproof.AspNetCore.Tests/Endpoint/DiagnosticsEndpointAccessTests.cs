using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Leakproof.AspNetCore.Tests.Support;
using Leakproof.Census;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Leakproof.AspNetCore.Tests.Endpoint;

/// <summary>Who may read the census: loopback only, unless an authorization policy guards the endpoint.</summary>
public sealed class DiagnosticsEndpointAccessTests
{
    public DiagnosticsEndpointAccessTests() => AsyncCensus.Enable();

    [Fact]
    public async Task Get_FromNonLoopbackWithoutPolicy_Returns403WithExplanation()
    {
        await using TestWebApp app = await TestWebApp.StartAsync(static a => a.MapLeakproofDiagnostics(), listenExternally: true);
        using HttpClient client = TestWebApp.Client();

        using HttpResponseMessage remote = await client.GetAsync(new Uri(app.External!, "/debug/leakproof"));
        using HttpResponseMessage local = await client.GetAsync(new Uri(app.Loopback, "/debug/leakproof"));

        string body = await remote.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, remote.StatusCode);
        Assert.Contains("loopback requests only", body, StringComparison.Ordinal);
        Assert.Contains("RequireAuthorization", body, StringComparison.Ordinal);
        Assert.DoesNotContain("census: ", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
    }

    [Fact]
    public async Task Get_FromNonLoopbackWithAllowAnonymous_Returns403()
    {
        await using TestWebApp app = await TestWebApp.StartAsync(static a => a.MapLeakproofDiagnostics().AllowAnonymous(), listenExternally: true);
        using HttpClient client = TestWebApp.Client();

        using HttpResponseMessage remote = await client.GetAsync(new Uri(app.External!, "/debug/leakproof"));

        Assert.Equal(HttpStatusCode.Forbidden, remote.StatusCode);
    }

    [Theory]
    [InlineData(null, null, HttpStatusCode.Unauthorized)]
    [InlineData("alice", null, HttpStatusCode.Forbidden)]
    [InlineData("alice", HeaderAuthenticationHandler.Role, HttpStatusCode.OK)]
    public async Task Get_FromNonLoopbackWithPolicy_PolicyDecides(string? user, string? role, HttpStatusCode expected)
    {
        await using TestWebApp app = await StartWithPolicyAsync();
        using HttpClient client = TestWebApp.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(app.External!, "/debug/leakproof"));
        if (user is not null)
        {
            request.Headers.Add("X-Test-User", user);
        }

        if (role is not null)
        {
            request.Headers.Add("X-Test-Role", role);
        }

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            Assert.StartsWith("census: ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_FromLoopbackWithPolicy_PolicyStillApplies()
    {
        await using TestWebApp app = await StartWithPolicyAsync();
        using HttpClient client = TestWebApp.Client();

        using HttpResponseMessage response = await client.GetAsync(new Uri(app.Loopback, "/debug/leakproof"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static Task<TestWebApp> StartWithPolicyAsync() => TestWebApp.StartAsync(
        static a => a.MapLeakproofDiagnostics().RequireAuthorization(HeaderAuthenticationHandler.Policy),
        listenExternally: true,
        services: static s =>
        {
            s.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
            s.AddAuthorizationBuilder().AddPolicy(HeaderAuthenticationHandler.Policy, static p => p.RequireRole(HeaderAuthenticationHandler.Role));
        },
        pipeline: static a =>
        {
            a.UseAuthentication();
            a.UseAuthorization();
        });
}
