using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Hosting.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leakproof;

/// <summary>
/// Provides extensions that run background loops and task scopes as hosted services that start and stop with the host.
/// </summary>
public static class LeakproofHostingServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="BackgroundLoop"/> that starts with the host and stops with it. Each tick runs in its own
    /// dependency-injection scope, disposed when the tick ends.
    /// </summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="name">The loop's name (it overrides <see cref="BackgroundLoopOptions.Name"/>).</param>
    /// <param name="tick">The work of one tick: it receives the tick's scoped services and a token cancelled when the host stops.</param>
    /// <param name="configure">Sets the loop's options; <see cref="BackgroundLoopOptions.Period"/> is required.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the registering member, recorded as the loop's creation site.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the registering source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the registering line.</param>
    /// <returns>The same services, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The configured options are invalid (checked here, once).</exception>
    /// <remarks>
    /// If <paramref name="configure"/> does not set <see cref="BackgroundLoopOptions.TimeProvider"/>, the
    /// <see cref="TimeProvider"/> registered in the container is used, or <see cref="TimeProvider.System"/>. If it does
    /// not set <see cref="BackgroundLoopOptions.OnError"/>, failed ticks are logged as errors under the
    /// <c>Leakproof.Hosting</c> category. When the host's shutdown token is cancelled before a running tick ends, the
    /// stop fails with a <see cref="TimeoutException"/> naming the loop, rather than hanging or returning silently.
    /// </remarks>
    public static IServiceCollection AddBackgroundLoop(
        this IServiceCollection services,
        string name,
        Func<IServiceProvider, CancellationToken, ValueTask> tick,
        Action<BackgroundLoopOptions> configure,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(configure);

        // A null clock means "not configured": the container's clock is used when the service is built.
        var configured = new BackgroundLoopOptions { TimeProvider = null! };
        configure(configured);
        Resolve(configured, name, TimeProvider.System).Validate();

        services.AddSingleton<IHostedService>(provider =>
        {
            ILogger logger = CreateLogger(provider);
            BackgroundLoopOptions options = Resolve(configured, name, provider.GetService<TimeProvider>() ?? TimeProvider.System);
            options.OnError ??= args =>
            {
                HostingLog.TickFailed(logger, args.Exception, args.LoopName, args.TickNumber);
                return default;
            };
            var loop = new BackgroundLoop(
                async ct =>
                {
                    AsyncServiceScope scope = provider.CreateAsyncScope();
                    await using (scope.ConfigureAwait(false))
                    {
                        await tick(scope.ServiceProvider, ct).ConfigureAwait(false);
                    }
                },
                options,
                callerMemberName,
                callerFilePath,
                callerLineNumber);
            return new BackgroundLoopHostedService(loop, logger);
        });
        return services;
    }

    /// <summary>
    /// Adds a worker that runs <paramref name="body"/> in a <see cref="TaskScope"/> for the life of the host. Stopping
    /// the host cancels the scope and waits for every child.
    /// </summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="name">The scope's name (it overrides <see cref="TaskScopeOptions.Name"/>).</param>
    /// <param name="body">Spawns the children; it receives the scope, services scoped to the worker, and the scope's token.</param>
    /// <param name="configure">Sets the scope's options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same services, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The configured options are invalid (checked here, once).</exception>
    /// <remarks>
    /// The worker is a <see cref="BackgroundService"/>: if the scope fails (a child or the body throws), the host
    /// logs it and, by default, stops. If <paramref name="configure"/> does not set
    /// <see cref="TaskScopeOptions.TimeProvider"/>, the container's <see cref="TimeProvider"/> is used. When the host's
    /// shutdown token is cancelled while children still run, the stop fails with a <see cref="TimeoutException"/>
    /// that names each of them and where it was spawned, rather than hanging or returning silently.
    /// </remarks>
    public static IServiceCollection AddTaskScopeWorker(
        this IServiceCollection services,
        string name,
        Func<TaskScope, IServiceProvider, CancellationToken, ValueTask> body,
        Action<TaskScopeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(body);

        var configured = new TaskScopeOptions { TimeProvider = null! };
        configure?.Invoke(configured);
        Resolve(configured, name, TimeProvider.System).Validate();

        services.AddSingleton<IHostedService>(provider => new TaskScopeHostedService(
            name,
            body,
            Resolve(configured, name, provider.GetService<TimeProvider>() ?? TimeProvider.System),
            provider,
            CreateLogger(provider)));
        return services;
    }

    private static BackgroundLoopOptions Resolve(BackgroundLoopOptions configured, string name, TimeProvider fallback) => new()
    {
        Name = name,
        Period = configured.Period,
        RunImmediately = configured.RunImmediately,
        TimeProvider = configured.TimeProvider ?? fallback,
        OnError = configured.OnError,
    };

    private static TaskScopeOptions Resolve(TaskScopeOptions configured, string name, TimeProvider fallback) => new()
    {
        Name = name,
        FailureMode = configured.FailureMode,
        MaxConcurrency = configured.MaxConcurrency,
        Timeout = configured.Timeout,
        TimeProvider = configured.TimeProvider ?? fallback,
    };

    private static ILogger CreateLogger(IServiceProvider provider) =>
        provider.GetService<ILoggerFactory>()?.CreateLogger(HostingLog.Category) ?? NullLogger.Instance;
}
