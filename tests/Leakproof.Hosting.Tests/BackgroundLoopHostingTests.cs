using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Leakproof.Hosting.Tests.TestSupport;
using Leakproof.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Leakproof.Hosting.Tests;

public sealed class BackgroundLoopHostingTests
{
    private static readonly TimeSpan s_period = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task AddBackgroundLoop_RealHost_TicksOnlyBetweenStartAndStop()
    {
        var time = new TimerTrackingTimeProvider();
        var logs = new LogCapture();
        var ticks = Channel.CreateUnbounded<int>();
        int count = 0;
        HostApplicationBuilder builder = TestHost.CreateBuilder(time, logs);
        builder.Services.AddBackgroundLoop(
            "meter",
            (_, _) =>
            {
                ticks.Writer.TryWrite(Interlocked.Increment(ref count));
                return default;
            },
            o => o.Period = s_period);
        using IHost host = builder.Build();

        time.Advance(s_period * 10);
        Assert.Equal(0, time.TimersCreated); // Built but not started: nothing runs, no timer.
        await host.StartAsync().Guard();
        time.Advance(s_period);
        Assert.Equal(1, await ticks.Reader.ReadAsync().Guard());
        await host.StopAsync().Guard();

        time.Advance(s_period * 10);
        Assert.False(ticks.Reader.TryRead(out _));
        Assert.Equal(0, time.LiveTimers);
    }

    [Fact]
    public async Task AddBackgroundLoop_EachTick_GetsItsOwnDisposedServiceScope()
    {
        var time = new TimerTrackingTimeProvider();
        var seen = Channel.CreateUnbounded<ScopedProbe>();
        HostApplicationBuilder builder = TestHost.CreateBuilder(time, new LogCapture());
        builder.Services.AddScoped<ScopedProbe>();
        builder.Services.AddBackgroundLoop(
            "scoped",
            (services, _) =>
            {
                seen.Writer.TryWrite(services.GetRequiredService<ScopedProbe>());
                return default;
            },
            o => o.Period = s_period);
        using IHost host = builder.Build();
        await host.StartAsync().Guard();

        time.Advance(s_period);
        ScopedProbe first = await seen.Reader.ReadAsync().Guard();
        time.Advance(s_period);
        ScopedProbe second = await seen.Reader.ReadAsync().Guard();
        await host.StopAsync().Guard();

        Assert.NotSame(first, second);
        Assert.True(first.Disposed);
        Assert.True(second.Disposed);
    }

    [Fact]
    public async Task AddBackgroundLoop_TickFails_IsLoggedAndLoopGoesOn()
    {
        var time = new TimerTrackingTimeProvider();
        var logs = new LogCapture();
        var ticks = Channel.CreateUnbounded<int>();
        int count = 0;
        HostApplicationBuilder builder = TestHost.CreateBuilder(time, logs);
        builder.Services.AddBackgroundLoop(
            "flaky",
            (_, _) =>
            {
                int n = Interlocked.Increment(ref count);
                ticks.Writer.TryWrite(n);
                return n == 1 ? throw new InvalidOperationException("disk full") : default;
            },
            o => o.Period = s_period);
        using IHost host = builder.Build();
        await host.StartAsync().Guard();

        time.Advance(s_period);
        LogEntry entry = await logs.WaitForAsync("BackgroundLoopTickFailed");
        time.Advance(s_period);

        Assert.Equal(1, await ticks.Reader.ReadAsync().Guard());
        Assert.Equal(2, await ticks.Reader.ReadAsync().Guard());
        Assert.Equal("Leakproof.Hosting", entry.Category);
        Assert.Contains("'flaky'", entry.Message, StringComparison.Ordinal);
        Assert.Equal("disk full", entry.Exception?.Message);
        await host.StopAsync().Guard();
    }

    [Fact]
    public async Task AddBackgroundLoop_TickIgnoresCancellationPastShutdownToken_StopFailsNamingTheLoop()
    {
        var time = new TimerTrackingTimeProvider();
        var logs = new LogCapture();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        HostApplicationBuilder builder = TestHost.CreateBuilder(time, logs);
        builder.Services.AddBackgroundLoop(
            "stubborn-loop",
            async (_, _) =>
            {
                entered.TrySetResult();
                await release.Task; // Ignores its token.
            },
            o => o.Period = s_period);
        using IHost host = builder.Build();
        await host.StartAsync().Guard();
        time.Advance(s_period);
        await entered.Task.Guard();
        using var shutdown = new CancellationTokenSource();

        Task stop = host.StopAsync(shutdown.Token);
        Assert.False(stop.IsCompleted); // Waiting for the tick, as it should.
        shutdown.Cancel();

        Exception ex = await Assert.ThrowsAnyAsync<Exception>(() => stop.Guard());
        TimeoutException timeout = Assert.IsType<TimeoutException>(ex is AggregateException many ? Assert.Single(many.InnerExceptions) : ex);
        Assert.Contains("'stubborn-loop'", timeout.Message, StringComparison.Ordinal);
        await logs.WaitForAsync("BackgroundLoopDidNotStop");
        release.SetResult();
    }

    [Fact]
    public void AddBackgroundLoop_InvalidOptions_ThrowsAtRegistration()
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddBackgroundLoop("no-period", (_, _) => default, _ => { }));

        Assert.Equal("Period", ex.ParamName);
        Assert.Empty(services);
    }

    [Fact]
    public void AddBackgroundLoop_NullOrEmptyArguments_Throw()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentNullException>("services", () => LeakproofHostingServiceCollectionExtensions.AddBackgroundLoop(null!, "x", (_, _) => default, o => o.Period = s_period));
        Assert.Throws<ArgumentException>("name", () => services.AddBackgroundLoop(" ", (_, _) => default, o => o.Period = s_period));
        Assert.Throws<ArgumentNullException>("tick", () => services.AddBackgroundLoop("x", null!, o => o.Period = s_period));
        Assert.Throws<ArgumentNullException>("configure", () => services.AddBackgroundLoop("x", (_, _) => default, null!));
    }

    [Fact]
    public async Task AddBackgroundLoop_ConfiguredClock_WinsOverTheContainersClock()
    {
        var containerClock = new TimerTrackingTimeProvider();
        var loopClock = new TimerTrackingTimeProvider();
        var ticks = Channel.CreateUnbounded<int>();
        HostApplicationBuilder builder = TestHost.CreateBuilder(containerClock, new LogCapture());
        builder.Services.AddBackgroundLoop(
            "own-clock",
            (_, _) =>
            {
                ticks.Writer.TryWrite(1);
                return default;
            },
            o =>
            {
                o.Period = s_period;
                o.TimeProvider = loopClock;
            });
        using IHost host = builder.Build();
        await host.StartAsync().Guard();

        containerClock.Advance(s_period * 5);
        Assert.False(ticks.Reader.TryRead(out _));
        loopClock.Advance(s_period);
        Assert.Equal(1, await ticks.Reader.ReadAsync().Guard());
        await host.StopAsync().Guard();
    }

    public sealed class ScopedProbe : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
