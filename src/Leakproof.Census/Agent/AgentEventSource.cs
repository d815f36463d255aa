using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Threading;

namespace Leakproof.Census.Agent;

/// <summary>
/// The agent's event source. A session that enables it with the argument <c>command=census</c> and a
/// <c>requestId</c> gets, in order: <see cref="Accepted"/> (once the census is ready, with its chunk count), the
/// chunks from <c>from</c> (default 0) on, at most <c>limit</c> of them, as <see cref="CensusChunk"/> events, and <see cref="Completed"/>; or
/// <see cref="Failed"/>. The census travels as UTF-8 JSON, GZip-compressed, in base64 chunks well under EventPipe's
/// 64 KB event limit. The agent keeps its last answer for a minute: a request with the same <c>requestId</c> and a
/// new <c>attempt</c> gets the cached chunks from <c>from</c> on, without a second census.
/// </summary>
[EventSource(Name = LeakproofAgent.EventSourceName)]
internal sealed class AgentEventSource : EventSource
{
    /// <summary>Characters per chunk: 24,000 UTF-16 characters are 48,000 bytes, under the 64 KB event limit.</summary>
    internal const int ChunkChars = 24_000;

    /// <summary>The version of the request and reply protocol: 2 sends GZip-compressed base64 chunks and answers resumes.</summary>
    internal const int ProtocolVersion = 2;

    /// <summary>The payload's encoding, named in <see cref="Accepted"/>.</summary>
    internal const string Encoding = "gzip+base64";

    /// <summary>How long the last answer is kept for resumes.</summary>
    private const long CacheMilliseconds = 60_000;

    /// <summary>How often the idle agent takes new tasks over, which bounds how much too young an age can be.</summary>
    private static readonly TimeSpan s_takeOverInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _cacheGate = new();

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "The agent's thread may still be reading it; Dispose completes it instead and the agent lives as long as the process.")]
    private readonly BlockingCollection<AgentRequest> _requests = new(boundedCapacity: 16);
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private CachedAnswer? _cached;

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
    /// <param name="count">The number of chunks of the whole census.</param>
    /// <param name="from">The first chunk this answer sends.</param>
    /// <param name="encoding">How the chunks are encoded (<c>gzip+base64</c>).</param>
    /// <param name="jsonBytes">The size of the census JSON in UTF-8 bytes, before compression.</param>
    /// <param name="captureMilliseconds">How long the census and its encoding took, on the agent's thread.</param>
    /// <param name="queuedMilliseconds">How long the request waited between its arrival and this answer.</param>
    [Event(1, Level = EventLevel.Informational, Keywords = Keywords.Census, Version = 2)]
    public void Accepted(string requestId, int protocolVersion, int processId, int count, int from, string encoding, long jsonBytes, double captureMilliseconds, double queuedMilliseconds) => WriteEvent(1, requestId, protocolVersion, processId, count, from, encoding, jsonBytes, captureMilliseconds, queuedMilliseconds);

    /// <summary>One chunk of the compressed census (base64 text).</summary>
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
            || !_seen.TryAdd($"{requestId}/{Argument(command.Arguments, "attempt")}", 0))
        {
            return;
        }

        _ = int.TryParse(Argument(command.Arguments, "from"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int from);
        if (!int.TryParse(Argument(command.Arguments, "limit"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int limit) || limit < 1)
        {
            limit = int.MaxValue;
        }

        var request = new AgentRequest(
            requestId,
            IncludeAsyncStacks: !IsFalse(command.Arguments, "asyncStacks"),
            ResolveSourceLines: !IsFalse(command.Arguments, "sourceLines"),
            GroupsOnly: string.Equals(Argument(command.Arguments, "detail"), "groups", StringComparison.OrdinalIgnoreCase),
            From: from,
            Limit: limit,
            Arrived: System.Diagnostics.Stopwatch.GetTimestamp());
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

    private static string? Argument(IDictionary<string, string?> arguments, string key) =>
        arguments.TryGetValue(key, out string? value) ? value : null;

    private static bool IsFalse(IDictionary<string, string?> arguments, string key) =>
        arguments.TryGetValue(key, out string? value) && string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);

    private void Serve()
    {
        while (!_requests.IsCompleted)
        {
            if (_requests.TryTake(out AgentRequest? request, s_takeOverInterval))
            {
                Answer(request);
            }
            else
            {
                // Between requests, take the runtime registry's new tasks over once a second: an operation's age counts
                // from its takeover, so without this every operation would look as young as the first census.
                AsyncCensus.Engine?.Mark();
            }
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A failed census is reported to the tool; it must never take the agent's thread, or the process, down.")]
    private void Answer(AgentRequest request)
    {
        CachedAnswer? answer;
        lock (_cacheGate)
        {
            answer = _cached is { } cached && cached.RequestId == request.RequestId && Environment.TickCount64 - cached.Created < CacheMilliseconds ? cached : null;
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (answer is null)
        {
            try
            {
                answer = Capture(request);
            }
            catch (Exception ex)
            {
                Failed(request.RequestId, $"{ex.GetType().Name}: {ex.Message}");
                return;
            }

            lock (_cacheGate)
            {
                _cached = answer;
            }
        }

        string[] chunks = answer.Chunks;
        int from = Math.Clamp(request.From, 0, chunks.Length);

        // Written once the census is ready, then the chunks in one loop. A reader may have to stop its session to be
        // handed the tail of the stream; what the stop cut off it asks for again with a later "from".
        Accepted(request.RequestId, ProtocolVersion, Environment.ProcessId, chunks.Length, from, Encoding, answer.JsonBytes, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, System.Diagnostics.Stopwatch.GetElapsedTime(request.Arrived, started).TotalMilliseconds);
        int end = (int)Math.Min(chunks.Length, (long)from + request.Limit);
        for (int i = from; i < end && IsEnabled(); i++)
        {
            CensusChunk(request.RequestId, i, chunks.Length, chunks[i]);
        }

        Completed(request.RequestId, chunks.Length);
    }

    private static CachedAnswer Capture(AgentRequest request)
    {
        CensusSnapshot snapshot = AsyncCensus.Capture(new CensusCaptureOptions
        {
            IncludeAsyncStacks = request.IncludeAsyncStacks && !request.GroupsOnly,
            IncludeOperations = !request.GroupsOnly,
            ResolveSourceLines = request.ResolveSourceLines,
        });
        if (request.GroupsOnly)
        {
            // Only the groups travel (each still lists its operation ids): the text report needs no more.
            snapshot = new CensusSnapshot
            {
                SchemaVersion = snapshot.SchemaVersion,
                Process = snapshot.Process,
                CapturedAt = snapshot.CapturedAt,
                Source = snapshot.Source,
                Warnings = [.. snapshot.Warnings, $"groups only: the {snapshot.Operations.Count} operations are counted in their groups but not listed (ask for every operation to list them)"],
                Groups = snapshot.Groups,
                Abandoned = snapshot.Abandoned,
            };
        }

        string json = snapshot.ToJson();
        var compressed = new System.IO.MemoryStream();
        long jsonBytes;
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(json);
            jsonBytes = utf8.Length;
            gzip.Write(utf8);
        }

        string text = Convert.ToBase64String(compressed.GetBuffer(), 0, (int)compressed.Length);
        int count = Math.Max(1, (text.Length + ChunkChars - 1) / ChunkChars);
        string[] chunks = new string[count];
        for (int i = 0; i < count; i++)
        {
            int start = i * ChunkChars;
            chunks[i] = text.Substring(start, Math.Min(ChunkChars, text.Length - start));
        }

        return new CachedAnswer(request.RequestId, chunks, jsonBytes, Environment.TickCount64);
    }

    /// <summary>The agent's keywords.</summary>
    public static class Keywords
    {
        /// <summary>Census requests and replies.</summary>
        public const EventKeywords Census = (EventKeywords)1;
    }

    private sealed record AgentRequest(string RequestId, bool IncludeAsyncStacks, bool ResolveSourceLines, bool GroupsOnly, int From, int Limit, long Arrived);

    private sealed record CachedAnswer(string RequestId, string[] Chunks, long JsonBytes, long Created);
}
