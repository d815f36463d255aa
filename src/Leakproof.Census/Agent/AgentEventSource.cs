using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Threading;

namespace Leakproof.Census.Agent;

/// <summary>
/// The agent's event source. A session that enables it with the argument <c>command=census</c> and a
/// <c>requestId</c> gets, in order: either <see cref="Accepted"/> (once the census is ready), every <see cref="CensusChunk"/> of the census
/// JSON (UTF-16 text split in chunks well under EventPipe's 64 KB event limit) or <see cref="Failed"/>.
/// </summary>
/// <remarks>
/// <see cref="OnEventCommand"/> runs on the thread that enabled the session (the runtime's diagnostics server); it
/// only queues the request. The census runs on the agent's own thread, so neither the server nor any application
/// thread waits for it.
/// </remarks>
[EventSource(Name = LeakproofAgent.EventSourceName)]
internal sealed class AgentEventSource : EventSource
{
    /// <summary>Characters per chunk: 24,000 UTF-16 characters are 48,000 bytes, under the 64 KB event limit.</summary>
    internal const int ChunkChars = 24_000;

    /// <summary>The version of the request and reply protocol.</summary>
    internal const int ProtocolVersion = 1;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "The agent's thread may still be reading it; Dispose completes it instead and the agent lives as long as the process.")]
    private readonly BlockingCollection<AgentRequest> _requests = new(boundedCapacity: 16);
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

    private AgentEventSource()
        : base(EventSourceSettings.EtwSelfDescribingEventFormat)
    {
    }

    /// <summary>Creates the source and starts the agent's thread.</summary>
    /// <returns>The source.</returns>
    internal static AgentEventSource Create()
    {
        var source = new AgentEventSource();
        var thread = new Thread(source.Serve)
        {
            IsBackground = true,
            Name = LeakproofAgent.ThreadName,
            Priority = ThreadPriority.BelowNormal,
        };
        thread.Start();
        return source;
    }

    /// <summary>Acknowledges a request once its census is ready; the chunks follow at once.</summary>
    /// <param name="requestId">The request.</param>
    /// <param name="protocolVersion">The agent's protocol version.</param>
    /// <param name="processId">The process id.</param>
    [Event(1, Level = EventLevel.Informational, Keywords = Keywords.Census)]
    public void Accepted(string requestId, int protocolVersion, int processId) => WriteEvent(1, requestId, protocolVersion, processId);

    /// <summary>One chunk of the census JSON.</summary>
    /// <param name="requestId">The request.</param>
    /// <param name="index">The chunk's index, from 0.</param>
    /// <param name="count">The number of chunks.</param>
    /// <param name="data">The chunk's text.</param>
    [Event(2, Level = EventLevel.Informational, Keywords = Keywords.Census)]
    public void CensusChunk(string requestId, int index, int count, string data) => WriteEvent(2, requestId, index, count, data);

    /// <summary>The census failed.</summary>
    /// <param name="requestId">The request.</param>
    /// <param name="message">Why.</param>
    [Event(3, Level = EventLevel.Informational, Keywords = Keywords.Census)]
    public void Failed(string requestId, string message) => WriteEvent(3, requestId, message);

    /// <summary>The census is complete: written after the last chunk.</summary>
    /// <param name="requestId">The request.</param>
    /// <param name="count">The number of chunks written.</param>
    [Event(4, Level = EventLevel.Informational, Keywords = Keywords.Census)]
    public void Completed(string requestId, int count) => WriteEvent(4, requestId, count);

    /// <inheritdoc/>
    protected override void OnEventCommand(EventCommandEventArgs command)
    {
        if (command.Command != EventCommand.Enable || command.Arguments is null)
        {
            return;
        }

        if (!command.Arguments.TryGetValue("command", out string? verb) || verb != "census"
            || !command.Arguments.TryGetValue("requestId", out string? requestId) || string.IsNullOrEmpty(requestId)
            || !_seen.TryAdd(requestId, 0))
        {
            return;
        }

        var request = new AgentRequest(
            requestId,
            IncludeAsyncStacks: !IsFalse(command.Arguments, "asyncStacks"),
            ResolveSourceLines: !IsFalse(command.Arguments, "sourceLines"));
        if (!_requests.TryAdd(request))
        {
            Failed(requestId, "the agent is busy with other requests");
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _requests.CompleteAdding();
        }

        base.Dispose(disposing);
    }

    private static bool IsFalse(IDictionary<string, string?> arguments, string key) =>
        arguments.TryGetValue(key, out string? value) && string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);

    private void Serve()
    {
        foreach (AgentRequest request in _requests.GetConsumingEnumerable())
        {
            Answer(request);
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A failed census is reported to the tool; it must never take the agent's thread, or the process, down.")]
    private void Answer(AgentRequest request)
    {
        string json;
        try
        {
            CensusSnapshot snapshot = AsyncCensus.Capture(new CensusCaptureOptions
            {
                IncludeAsyncStacks = request.IncludeAsyncStacks,
                ResolveSourceLines = request.ResolveSourceLines,
            });
            json = snapshot.ToJson();
        }
        catch (Exception ex)
        {
            Failed(request.RequestId, $"{ex.GetType().Name}: {ex.Message}");
            return;
        }

        int count = Math.Max(1, (json.Length + ChunkChars - 1) / ChunkChars);

        // Written once the census is ready, then the chunks in one loop: a reader sees this first event promptly
        // and may have to stop its session to be handed the rest (EventPipe holds back the tail of a stream).
        Accepted(request.RequestId, ProtocolVersion, Environment.ProcessId);
        for (int i = 0; i < count; i++)
        {
            int start = i * ChunkChars;
            CensusChunk(request.RequestId, i, count, json.Substring(start, Math.Min(ChunkChars, json.Length - start)));
        }

        Completed(request.RequestId, count);
    }

    /// <summary>The agent's keywords.</summary>
    public static class Keywords
    {
        /// <summary>Census requests and replies.</summary>
        public const EventKeywords Census = (EventKeywords)1;
    }

    private sealed record AgentRequest(string RequestId, bool IncludeAsyncStacks, bool ResolveSourceLines);
}
