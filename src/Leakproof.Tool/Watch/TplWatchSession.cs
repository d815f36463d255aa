using System;
using System.Diagnostics.Tracing;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tool.Routes;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Leakproof.Tool.Watch;

/// <summary>An EventPipe session on the target's TplEventSource that feeds a <see cref="PendingTracker"/>.</summary>
internal sealed class TplWatchSession : IAsyncDisposable
{
    public const string Provider = "System.Threading.Tasks.TplEventSource";

    /// <summary>AsyncCausalityOperation: TraceOperationBegin (14) and TraceOperationEnd (15).</summary>
    public const long CausalityKeyword = 0x8;

    /// <summary>AsyncMethod: IncompleteAsyncMethod (27), raised when a pending async method is collected.</summary>
    public const long AbandonedKeyword = 0x100;

    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _processing;

    private TplWatchSession(EventPipeSession session, PendingTracker tracker)
    {
        _session = session;
        _source = new EventPipeEventSource(session.EventStream);
        _source.Dynamic.All += e =>
        {
            if (e.ProviderName != Provider)
            {
                return;
            }

            switch ((int)e.ID)
            {
                case 14:
                    tracker.OnBegin((int)e.PayloadValue(0), e.PayloadValue(1) as string ?? "?");
                    break;
                case 15:
                    tracker.OnEnd((int)e.PayloadValue(0));
                    break;
                case 27:
                    tracker.OnAbandoned(e.PayloadValue(0) as string ?? "?");
                    break;
            }
        };
        _processing = Task.Factory.StartNew(() => _source.Process(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Gets a task that completes when the stream ends (the session stopped or the target exited).</summary>
    public Task Completion => _processing;

    /// <summary>Gets the events the runtime dropped because the reader fell behind.</summary>
    public int EventsLost => _source.EventsLost;

    public static async Task<TplWatchSession> StartAsync(int processId, PendingTracker tracker, bool abandoned, CancellationToken cancellationToken)
    {
        var provider = new EventPipeProvider(Provider, EventLevel.Informational, CausalityKeyword | (abandoned ? AbandonedKeyword : 0));
        EventPipeSession session = await AgentCensusRoute.StartAsync(processId, provider, cancellationToken).ConfigureAwait(false);
        return new TplWatchSession(session, tracker);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Stopping a session whose process is gone may fail in several ways; none matters.")]
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // the process is gone
        }

        await AgentCensusRoute.WaitAsync(_processing, _processing, TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
        _session.Dispose();
        _source.Dispose();
    }
}
