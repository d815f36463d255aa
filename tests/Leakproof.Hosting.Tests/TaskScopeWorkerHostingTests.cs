using System;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Hosting.Tests.TestSupport;
using Leakproof.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Leakproof.Hosting.Tests;

public sealed class TaskScopeWorkerHostingTests
{
    [Fact]
    public async Task AddTaskScopeWorker_HostStops_CancelsChildrenAndWaitsForTheirCleanup()
    {
        const int Children = 3;
        var time = new TimerTrackingTimeProvider();
        using var allStarted = new CountdownEvent(Children);
        var cleanupGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int cleanedUp = 0;
        HostApplicationBuilder builder = TestHost.CreateBuilder(time, new LogCapture());
        builder.Services.AddTaskScopeWorker("consumers", (scope, _, _) =>
        {
            for (int i = 0; i < Children; i++)
            {
                scope.Spawn(async ct =>
                {
                    allStarted.Signal();
                    try
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, scope.TimeProvider, ct);
                    }
                    finally
                    {
                        await cleanupGate.Task; // Slow but cooperative cleanup: the stop must wait for it.
                        Interlocked.Increment(ref cleanedUp);
                    }
                });
            }

            return default;
        });
        using IHost host = builder.Build();
        await host.StartAsync().Guard();
        await Task.Run(() => allStarted.Wait(TimeSpan.FromSeconds(30))).Guard();

        Task stop = host.StopAsync();

        Assert.False(stop.IsCompleted);
        cleanupGate.SetResult();
        await stop.Guard();
        Assert.Equal(Children, Volatile.Read(ref cleanedUp));
    }

    [Fact]
    public async Task AddTaskScopeWorker_ChildIgnoresCancellationPastShutdownToken_StopFailsNamingTheChild()
    {
        var time = new TimerTrackingTimeProvider();
        var logs = new LogCapture();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        HostApplicationBuilder builder = TestHost.CreateBuilder(time, logs);
        builder.Services.AddTaskScopeWorker("exporter", (scope, _, _) =>
        {
            scope.Spawn(
                async _ =>
                {
                    entered.TrySetResult();
                    await release.Task; // Ignores its token.
                },
                name: "stubborn-export");
            return default;
        });
        using IHost host = builder.Build();
        await host.StartAsync().Guard();
        await entered.Task.Guard();
        using var shutdown = new CancellationTokenSource();

        Task stop = host.StopAsync(shutdown.Token);
        Assert.False(stop.IsCompleted);
        shutdown.Cancel();

        Exception ex = await Assert.ThrowsAnyAsync<Exception>(() => stop.Guard());
        TimeoutException timeout = Assert.IsType<TimeoutException>(ex is AggregateException many ? Assert.Single(many.InnerExceptions) : ex);
        Assert.Contains("'exporter'", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("stubborn-export", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("TaskScopeWorkerHostingTests.cs", timeout.Message, StringComparison.Ordinal); // Where it was spawned.
        LogEntry entry = await logs.WaitForAsync("TaskScopeWorkerDidNotStop");
        Assert.Contains("stubborn-export", entry.Message, StringComparison.Ordinal);
        release.SetResult();
    }

    [Fact]
    public async Task AddTaskScopeWorker_ChildFails_HostLogsItAndStops()
    {
        var time = new TimerTrackingTimeProvider();
        var logs = new LogCapture();
        HostApplicationBuilder builder = TestHost.CreateBuilder(time, logs);
        builder.Services.AddTaskScopeWorker("doomed", (scope, _, _) =>
        {
            scope.Spawn(async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("poison message");
            });
            return default;
        });
        using IHost host = builder.Build();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());

        await host.StartAsync().Guard();

        await stopping.Task.Guard(); // The host's default for a failed background service: stop the application.
        await host.StopAsync().Guard();
        Assert.Contains(logs.Entries, e => e.Exception?.Message == "poison message");
    }

    [Fact]
    public async Task AddTaskScopeWorker_Body_GetsNamedScopeOnContainerClockAndWorkerScopedServices()
    {
        var time = new TimerTrackingTimeProvider();
        var observed = new TaskCompletionSource<(string Name, TimeProvider Clock, ScopedProbe Probe, TaskScopeFailureMode Mode)>(TaskCreationOptions.RunContinuationsAsynchronously);
        HostApplicationBuilder builder = TestHost.CreateBuilder(time, new LogCapture());
        builder.Services.AddScoped<ScopedProbe>();
        builder.Services.AddTaskScopeWorker(
            "indexer",
            (scope, services, _) =>
            {
                observed.TrySetResult((scope.Name, scope.TimeProvider, services.GetRequiredService<ScopedProbe>(), scope.FailureMode));
                return default;
            },
            o => o.FailureMode = TaskScopeFailureMode.Supervise);
        using IHost host = builder.Build();

        await host.StartAsync().Guard();
        var (name, clock, probe, mode) = await observed.Task.Guard();
        await host.StopAsync().Guard();

        Assert.Equal("indexer", name);
        Assert.Same(time, clock);
        Assert.Equal(TaskScopeFailureMode.Supervise, mode);
        Assert.True(probe.Disposed);
    }

    [Fact]
    public void AddTaskScopeWorker_InvalidOptionsOrArguments_ThrowAtRegistration()
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddTaskScopeWorker("x", (_, _, _) => default, o => o.MaxConcurrency = 0));
        Assert.Equal("MaxConcurrency", ex.ParamName);
        Assert.Throws<ArgumentNullException>("body", () => services.AddTaskScopeWorker("x", null!));
        Assert.Throws<ArgumentException>("name", () => services.AddTaskScopeWorker(string.Empty, (_, _, _) => default));
        Assert.Empty(services);
    }

    public sealed class ScopedProbe : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
