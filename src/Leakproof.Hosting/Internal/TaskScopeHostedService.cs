using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Leakproof.Hosting.Internal;

/// <summary>
/// Runs a <see cref="TaskScope"/> body for the life of the host. Stopping the host cancels the scope and waits for
/// every child, bounded by the host's shutdown token; children still running past it are named in the error.
/// </summary>
/// <remarks>Derives from <see cref="BackgroundService"/> so the host's own handling of a failed background service
/// (log it, and stop the host by default) applies to a failed scope.</remarks>
internal sealed class TaskScopeHostedService : BackgroundService
{
    /// <summary>The scope's name.</summary>
    private readonly string _name;

    /// <summary>The body that spawns the children.</summary>
    private readonly Func<TaskScope, IServiceProvider, CancellationToken, ValueTask> _body;

    /// <summary>The scope's options (already validated).</summary>
    private readonly TaskScopeOptions _options;

    /// <summary>The root services; the body gets a DI scope of its own.</summary>
    private readonly IServiceProvider _services;

    /// <summary>Where a stop that gives up is reported.</summary>
    private readonly ILogger _logger;

    /// <summary>The running scope, once the body started; read when the stop gives up, to name the stragglers.</summary>
    private volatile TaskScope? _scope;

    public TaskScopeHostedService(
        string name,
        Func<TaskScope, IServiceProvider, CancellationToken, ValueTask> body,
        TaskScopeOptions options,
        IServiceProvider services,
        ILogger logger)
    {
        _name = name;
        _body = body;
        _options = options;
        _services = services;
        _logger = logger;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The base cancels the stopping token (which cancels the scope) and waits for the scope or for the host's token.
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (ExecuteTask is not { IsCompleted: false })
        {
            return;
        }

        IReadOnlyList<TaskScopeChildInfo> stragglers = _scope?.GetActiveChildren() ?? [];
        string children = stragglers.Count == 0 ? "(the body itself)" : string.Join("; ", stragglers.Select(c => c.ToString()));
        HostingLog.ScopeDidNotStop(_logger, _name, children);
        throw new TimeoutException(
            $"The task scope worker '{_name}' did not stop before the host's shutdown token was cancelled; these children ignore cancellation and are still running: {children}");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        AsyncServiceScope services = _services.CreateAsyncScope();
        await using (services.ConfigureAwait(false))
        {
            await TaskScope.RunAsync(
                (scope, ct) =>
                {
                    _scope = scope;
                    return _body(scope, services.ServiceProvider, ct);
                },
                _options,
                stoppingToken).ConfigureAwait(false);
        }
    }
}
