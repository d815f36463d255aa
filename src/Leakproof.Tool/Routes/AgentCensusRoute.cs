using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Tool.Cli;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Leakproof.Tool.Routes;

/// <summary>
/// The agent route: enables the <see cref="LeakproofAgent.EventSourceName"/> provider with a census request as its
/// arguments, and reassembles the census JSON the agent streams back in chunks. The target is not paused: the census
/// runs on the agent's own thread.
/// </summary>
internal sealed class AgentCensusRoute : ICensusRoute
{
    public string Name => "agent";

    /// <summary>Gets how long the agent may take to acknowledge the request before it counts as absent.</summary>
    public TimeSpan AcceptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets how long the whole census may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    public async Task<CensusSnapshot> CaptureAsync(int processId, CancellationToken cancellationToken)
    {
        string json = await CaptureJsonAsync(processId, cancellationToken).ConfigureAwait(false);
        try
        {
            return CensusSnapshot.FromJson(json);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ToolException(ExitCodes.InternalError, $"the agent in process {processId} sent a census that does not parse: {ex.Message}", ex);
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Stopping a session whose process is gone may fail in several ways; none matters.")]
    public async Task<string> CaptureJsonAsync(int processId, CancellationToken cancellationToken)
    {
        string requestId = Guid.NewGuid().ToString("N");
        var provider = new EventPipeProvider(
            LeakproofAgent.EventSourceName,
            EventLevel.Informational,
            keywords: 1,
            arguments: new Dictionary<string, string> { ["command"] = "census", ["requestId"] = requestId });
        EventPipeSession session = await StartAsync(processId, provider, cancellationToken).ConfigureAwait(false);
        var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var writing = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        string?[]? chunks = null;
        int received = 0;
        Task processing;
        using (session)
        {
            var source = new EventPipeEventSource(session.EventStream);
            source.Dynamic.All += e =>
            {
                if (e.ProviderName != LeakproofAgent.EventSourceName || e.PayloadByName("requestId") as string != requestId)
                {
                    return;
                }

                switch (e.EventName)
                {
                    case "Accepted":
                        accepted.TrySetResult();
                        writing.TrySetResult(0);
                        break;
                    case "CensusChunk":
                        accepted.TrySetResult();
                        int count = Convert.ToInt32(e.PayloadByName("count"), System.Globalization.CultureInfo.InvariantCulture);
                        int index = Convert.ToInt32(e.PayloadByName("index"), System.Globalization.CultureInfo.InvariantCulture);
                        chunks ??= new string?[count];
                        writing.TrySetResult(0);
                        if (index >= 0 && index < chunks.Length && chunks[index] is null)
                        {
                            chunks[index] = (string)e.PayloadByName("data");
                            if (++received == chunks.Length)
                            {
                                done.TrySetResult(string.Concat(chunks));
                            }
                        }

                        break;
                    case "Failed":
                        accepted.TrySetResult();
                        done.TrySetException(new ToolException(ExitCodes.InternalError, $"the agent in process {processId} failed: {e.PayloadByName("message")}"));
                        break;
                }
            };
            processing = Task.Factory.StartNew(() => source.Process(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                if (!await WaitAsync(accepted.Task, processing, AcceptTimeout, cancellationToken).ConfigureAwait(false))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ThrowIfExited(processId, processing);
                    if (Processes.ProcessInspector.ProbeAgent(processId) != Processes.AgentPresence.Yes)
                    {
                        throw new AgentNotPresentException($"process {processId} did not answer a census request within {AcceptTimeout.TotalSeconds:0} s: the Leakproof agent is not running in it (call LeakproofAgent.Start() at startup)");
                    }

                    // The agent's thread is there: the census is just slow.
                    if (!await WaitAsync(accepted.Task, processing, Timeout, cancellationToken).ConfigureAwait(false))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        ThrowIfExited(processId, processing);
                        throw new ToolException(ExitCodes.CannotAttach, $"the agent in process {processId} did not finish the census within {Timeout.TotalSeconds:0} s");
                    }
                }

                if (!await WaitAsync(writing.Task, done.Task, Timeout, cancellationToken).ConfigureAwait(false) && !done.Task.IsCompleted)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ThrowIfExited(processId, processing);
                    throw new ToolException(ExitCodes.CannotAttach, $"the agent in process {processId} did not finish the census within {Timeout.TotalSeconds:0} s");
                }

                // EventPipe hands the reader the tail of a stream only when the session stops (events are held until
                // a sequence point). Accepted means the census is ready and its chunks are being written in one
                // loop: give that loop time to finish, then stop the session so every chunk reaches the reader.
                if (!done.Task.IsCompleted)
                {
                    TimeSpan grace = TimeSpan.FromMilliseconds(300);
                    await WaitAsync(done.Task, processing, grace, cancellationToken).ConfigureAwait(false);
                    await StopAsync(session).ConfigureAwait(false);
                    await WaitAsync(done.Task, processing, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                }

                if (!done.Task.IsCompleted)
                {
                    ThrowIfExited(processId, processing);
                    throw new ToolException(ExitCodes.InternalError, $"the census from process {processId} arrived incomplete ({received} of {chunks?.Length} chunks); try again");
                }

                return await done.Task.ConfigureAwait(false);
            }
            finally
            {
                await StopAsync(session).ConfigureAwait(false);
                await WaitAsync(processing, processing, TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Stopping a session whose process is gone may fail in several ways; none matters.")]
    internal static async Task StopAsync(EventPipeSession session)
    {
        try
        {
            await session.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The process may be gone, or the session already stopped; the stream then ends by itself.
        }
    }

    internal static async Task<EventPipeSession> StartAsync(int processId, EventPipeProvider provider, CancellationToken cancellationToken)
    {
        try
        {
            return await new DiagnosticsClient(processId).StartEventPipeSessionAsync([provider], requestRundown: false, circularBufferMB: 256, cancellationToken).ConfigureAwait(false);
        }
        catch (ServerNotAvailableException ex)
        {
            throw new ToolException(ExitCodes.CannotAttach, ProcessExited(processId) ? $"process {processId} exited" : $"cannot connect to process {processId}: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ToolException(ExitCodes.CannotAttach, $"no permission to attach to process {processId} (run as the same user as the target, or as root)", ex);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or ServerErrorException or UnsupportedCommandException)
        {
            throw new ToolException(ExitCodes.CannotAttach, $"cannot start an EventPipe session in process {processId}: {ex.Message}", ex);
        }
    }

    /// <summary>Waits until <paramref name="wanted"/> completes (true), or <paramref name="ended"/> completes or the time is up (false).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "LEAK2002", Justification = "Both tasks are owned by the caller: a reply promise and the reader, which ends when the caller stops the session.")]
    internal static async Task<bool> WaitAsync(Task wanted, Task ended, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            await Task.WhenAny(wanted, ended).WaitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return wanted.IsCompleted;
    }

    private static bool ProcessExited(int processId) => !Processes.ProcessInspector.IsRunning(processId);

    private static void ThrowIfExited(int processId, Task processing)
    {
        if (processing.IsCompleted || ProcessExited(processId))
        {
            throw new ToolException(ExitCodes.CannotAttach, $"process {processId} exited during the census");
        }
    }
}
