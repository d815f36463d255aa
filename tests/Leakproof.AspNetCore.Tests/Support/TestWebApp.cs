using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leakproof.AspNetCore.Tests.Support;

/// <summary>A real <see cref="WebApplication"/> on Kestrel: loopback port 0, and optionally a non-loopback address too.</summary>
internal sealed class TestWebApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestWebApp(WebApplication app, Uri loopback, Uri? external)
    {
        _app = app;
        Loopback = loopback;
        External = external;
    }

    /// <summary>Gets the base address on 127.0.0.1.</summary>
    public Uri Loopback { get; }

    /// <summary>Gets the base address on the machine's non-loopback IPv4 address, when asked for.</summary>
    public Uri? External { get; }

    public static async Task<TestWebApp> StartAsync(
        Action<WebApplication> map,
        bool listenExternally = false,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? pipeline = null)
    {
        IPAddress? external = listenExternally ? NetworkAddresses.NonLoopbackIPv4() : null;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            if (external is not null)
            {
                kestrel.Listen(external, 0);
            }
        });
        services?.Invoke(builder.Services);
        WebApplication app = builder.Build();
        pipeline?.Invoke(app);
        map(app);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(static a => new Uri(a))
            .ToList();
        Uri loopback = addresses.Single(static a => a.Host == "127.0.0.1");
        Uri? externalUri = external is null ? null : addresses.Single(a => a.Host == external.ToString());
        return new TestWebApp(app, loopback, externalUri);
    }

    /// <summary>Creates a client with a hang guard.</summary>
    public static HttpClient Client() => new() { Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
