using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Leakproof.AspNetCore.Tests.Support;
using Leakproof.Census;
using Leakproof.Census.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace Leakproof.AspNetCore.Tests.Endpoint;

public sealed class DiagnosticsEndpointTests
{
    public DiagnosticsEndpointTests() => AsyncCensus.Enable();

    private static string LeakSite => $"{Path.GetFileName(Leaks.File)}:{Leaks.ParkedLine}";

    [Fact]
    public async Task Get_DefaultAccept_ReturnsGroupsAsTextWithoutCaching()
    {
        Leaks leaks = Leaks.Start(parked: 2, nested: 1);
        await using TestWebApp app = await TestWebApp.StartAsync(static a => a.MapLeakproofDiagnostics());
        using HttpClient client = TestWebApp.Client();

        using HttpResponseMessage response = await client.GetAsync(new Uri(app.Loopback, "/debug/leakproof"));

        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "the census must not be cached");
        Assert.StartsWith("census: ", body, StringComparison.Ordinal);
        Assert.Contains(LeakSite, body, StringComparison.Ordinal);
        Assert.DoesNotContain("\noperation ", body, StringComparison.Ordinal);
        await leaks.ReleaseAsync();
    }

    [Fact]
    public async Task Get_Debug2_ListsEveryOperation()
    {
        Leaks leaks = Leaks.Start(parked: 1, nested: 0);
        await using TestWebApp app = await TestWebApp.StartAsync(static a => a.MapLeakproofDiagnostics());
        using HttpClient client = TestWebApp.Client();

        string body = await client.GetStringAsync(new Uri(app.Loopback, "/debug/leakproof?debug=2"));

        Assert.Contains("\noperation ", body, StringComparison.Ordinal);
        Assert.Contains(LeakSite, body, StringComparison.Ordinal);
        await leaks.ReleaseAsync();
    }

    [Theory]
    [InlineData("/debug/leakproof", "application/json")]
    [InlineData("/debug/leakproof?format=json", "text/html")]
    [InlineData("/debug/leakproof?format=JSON", null)]
    [InlineData("/debug/leakproof", "text/html;q=0.5, application/json;q=0.9")]
    public async Task Get_JsonRequested_ReturnsCensusValidAgainstPublishedSchema(string path, string? accept)
    {
        Leaks leaks = Leaks.Start(parked: 1, nested: 1);
        await using TestWebApp app = await TestWebApp.StartAsync(static a => a.MapLeakproofDiagnostics());
        using HttpClient client = TestWebApp.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(app.Loopback, path));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using HttpResponseMessage response = await client.SendAsync(request);

        string json = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "census.schema.json")));
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Empty(new MiniJsonSchema(schema.RootElement).Validate(document.RootElement));
        CensusSnapshot census = CensusSnapshot.FromJson(json);
        Assert.Contains(census.Groups, g => g.Site?.Line == Leaks.ParkedLine && g.Site.File == Leaks.File);
        await leaks.ReleaseAsync();
    }

    [Theory]
    [InlineData("/debug/leakproof", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    [InlineData("/debug/leakproof?format=html", "application/json")]
    public async Task Get_HtmlRequested_ReturnsSelfContainedPage(string path, string accept)
    {
        Leaks leaks = Leaks.Start(parked: 1, nested: 0);
        await using TestWebApp app = await TestWebApp.StartAsync(static a => a.MapLeakproofDiagnostics());
        using HttpClient client = TestWebApp.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(app.Loopback, path));
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using HttpResponseMessage response = await client.SendAsync(request);

        string html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"group-row\"", html, StringComparison.Ordinal);
        Assert.Contains(LeakSite, html, StringComparison.Ordinal);
        await leaks.ReleaseAsync();
    }

    [Theory]
    [InlineData("/debug/leakproof?format=xml", "Unsupported format 'xml'")]
    [InlineData("/debug/leakproof?debug=3", "Unsupported debug value '3'")]
    public async Task Get_BadQuery_Returns400WithMessage(string path, string message)
    {
        await using TestWebApp app = await TestWebApp.StartAsync(static a => a.MapLeakproofDiagnostics());
        using HttpClient client = TestWebApp.Client();

        using HttpResponseMessage response = await client.GetAsync(new Uri(app.Loopback, path));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_ReturnsHeadersWithoutBody()
    {
        await using TestWebApp app = await TestWebApp.StartAsync(static a => a.MapLeakproofDiagnostics());
        using HttpClient client = TestWebApp.Client();
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(app.Loopback, "/debug/leakproof?format=json"));

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Content.Headers.ContentLength > 0, "HEAD reports the length GET would send");
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_Returns405()
    {
        await using TestWebApp app = await TestWebApp.StartAsync(static a => a.MapLeakproofDiagnostics());
        using HttpClient client = TestWebApp.Client();
        using var content = new StringContent(string.Empty);

        using HttpResponseMessage response = await client.PostAsync(new Uri(app.Loopback, "/debug/leakproof"), content);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Get_NotMapped_Returns404()
    {
        await using TestWebApp app = await TestWebApp.StartAsync(static a => a.MapGet("/", static () => "home"));
        using HttpClient client = TestWebApp.Client();

        using HttpResponseMessage home = await client.GetAsync(new Uri(app.Loopback, "/"));
        using HttpResponseMessage response = await client.GetAsync(new Uri(app.Loopback, "/debug/leakproof"));

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_CustomPattern_ServesThereOnly()
    {
        await using TestWebApp app = await TestWebApp.StartAsync(static a => a.MapLeakproofDiagnostics("/ops/async"));
        using HttpClient client = TestWebApp.Client();

        using HttpResponseMessage custom = await client.GetAsync(new Uri(app.Loopback, "/ops/async"));
        using HttpResponseMessage standard = await client.GetAsync(new Uri(app.Loopback, "/debug/leakproof"));

        Assert.Equal(HttpStatusCode.OK, custom.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, standard.StatusCode);
    }

    [Fact]
    public void Map_BadPattern_Throws()
    {
        WebApplication app = WebApplication.CreateSlimBuilder().Build();

        Assert.Throws<ArgumentException>(() => app.MapLeakproofDiagnostics(" "));
        Assert.Throws<ArgumentNullException>(() => app.MapLeakproofDiagnostics(null!));
    }
}
