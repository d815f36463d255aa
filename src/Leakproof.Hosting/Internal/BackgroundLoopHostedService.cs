using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Leakproof.Hosting.Internal;

/// <summary>Runs a <see cref="BackgroundLoop"/> while the host runs: started with the host, stopped with it.</summary>
internal sealed class BackgroundLoopHostedService : IHostedService, IAsyncDisposable
{
    /// <summary>The loop; it runs nothing before <see cref="StartAsync"/>.</summary>
    private readonly BackgroundLoop _loop;

    /// <summary>Where a stop that gives up is reported.</summary>
    private readonly ILogger _logger;

    /// <summary>Set once the host asked the loop to stop; after that, dispose does not wait for it again.</summary>
    private volatile bool _stopRequested;

    public BackgroundLoopHostedService(BackgroundLoop loop, ILogger logger)
    {
        _loop = loop;
        _logger = logger;
    }

    /// <summary>Gets the loop (for tests).</summary>
    public BackgroundLoop Loop => _loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop.EnsureStarted();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopRequested = true;
        try
        {
            await _loop.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Waiting on would hang the shutdown; giving up silently would hide a leak. Say so, loudly.
            HostingLog.LoopDidNotStop(_logger, _loop.Name);
            throw new TimeoutException(
                $"The background loop '{_loop.Name}' did not stop before the host's shutdown token was cancelled: its running tick ignores cancellation and is still running.");
        }
    }

    public ValueTask DisposeAsync() =>

        // A loop the host stopped was already waited for (and reported if it did not end); waiting again could hang disposal.
        _stopRequested ? default : _loop.DisposeAsync();
}
