using System;
using Leakproof.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Leakproof.Hosting.Tests.TestSupport;

/// <summary>A real in-process host on a fake clock, with captured logs and a shutdown timeout that never fires on its own.</summary>
public static class TestHost
{
    public static HostApplicationBuilder CreateBuilder(TimerTrackingTimeProvider time, LogCapture logs)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<TimeProvider>(time);

        // The host's own shutdown timeout uses the real clock; tests bound the stop with their own token instead.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = System.Threading.Timeout.InfiniteTimeSpan);
        return builder;
    }
}
