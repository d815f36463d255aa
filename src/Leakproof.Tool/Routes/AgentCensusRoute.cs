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

    /// <summary>
    /// Asks for the census and reassembles its chunks. EventPipe hands a reader the tail of a stream only when the
    /// session stops (TraceEvent releases events at sequence points, which the runtime writes rarely), so each round
    /// opens a session, waits for <c>Accepted</c> (which carries the chunk count), gives the agent a short grace to
    /// write its chunks, and stops the session, which flushes everything written so far. Chunks the stop cut off are
    /// asked for again in a new session (<c>from</c> the first missing one): the agent answers those from its cache.
    /// </summary>
    public async Task<string> CaptureJsonAsync(int processId, CancellationToken cancellationToken)
    {
        string requestId = Guid.NewGuid().ToString("N");
        var state = new ReplyState();
        for (int attempt = 0; ; attempt++)
        {
            int before = state.Received;
            await RoundAsync(processId, requestId, attempt, state, cancellationToken).ConfigureAwait(false);
            if (state.IsComplete)
            {
                LastRounds = attempt + 1;
                Trace($"complete after {attempt + 1} round(s): {state.Chunks!.Length} chunks, {state.JsonBytes} JSON bytes");
                return Decode(processId, state.Chunks);
            }

            // Each round must bring chunks; one round without any (after the first) means the agent cannot deliver.
            if (state.Received == before && attempt > 0)
            {
                ThrowIfExited(processId, Task.CompletedTask, checkProcessing: false);
                throw new ToolException(ExitCodes.InternalError, $"the census from process {processId} arrived incomplete ({state.Received} of {state.Chunks?.Length} chunks after {attempt + 1} rounds); try again");
            }
        }
    }

    /// <summary>The agent protocol this tool speaks (the agent's <c>AgentEventSource.ProtocolVersion</c>).</summary>
    internal const int ProtocolVersion = 2;

    /// <summary>Gets how many sessions the last complete census took.</summary>
    internal int LastRounds { get; private set; }

    /// <summary>Gets how many chunks one round asks for (the tests use a small number to exercise resumed rounds).</summary>
    internal int ChunksPerRound { get; init; } = int.MaxValue;

    /// <summary>Gets the detail asked of the agent: <c>groups</c> (groups only) or <c>all</c> (every operation).</summary>
    public string Detail { get; init; } = "all";

    private static readonly bool s_trace = Environment.GetEnvironmentVariable("LEAKPROOF_TOOL_TRACE") == "1";
    private static readonly System.Diagnostics.Stopwatch s_clock = System.Diagnostics.Stopwatch.StartNew();

    private static void Trace(string message)
    {
        if (s_trace)
        {
            Console.Error.WriteLine($"[{s_clock.Elapsed.TotalMilliseconds,8:0.0} ms] {message}");
        }
    }

    private static string Decode(int processId, string?[] chunks)
    {
        try
        {
            byte[] compressed = Convert.FromBase64String(string.Concat(chunks));
            using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, System.Text.Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException)
        {
            throw new ToolException(ExitCodes.InternalError, $"the agent in process {processId} sent a census that does not decode: {ex.Message}", ex);
        }
    }

    private async Task RoundAsync(int processId, string requestId, int attempt, ReplyState state, CancellationToken cancellationToken)
    {
        int from = state.FirstMissing();
        var provider = new EventPipeProvider(
            LeakproofAgent.EventSourceName,
            EventLevel.Informational,
            keywords: 1,
            arguments: new Dictionary<string, string>
            {
                ["command"] = "census",
                ["requestId"] = requestId,
                ["attempt"] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["from"] = from.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["detail"] = Detail,
                ["limit"] = ChunksPerRound.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        Trace($"round {attempt}: session opening, from chunk {from}");
        EventPipeSession session = await StartAsync(processId, provider, cancellationToken).ConfigureAwait(false);
        Trace($"round {attempt}: session open");
        DateTime sessionStarted = default;
        var accepted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task processing;
        using (session)
        {
            var source = new EventPipeEventSource(session.EventStream);
            source.Dynamic.All += e =>
            {
                if (sessionStarted == default)
                {
                    sessionStarted = source.SessionStartTime;
                }

                if (e.ProviderName != LeakproofAgent.EventSourceName || e.PayloadByName("requestId") as string != requestId)
                {
                    return;
                }

                switch (e.EventName)
                {
                    case "Accepted":
                        int version = Convert.ToInt32(e.PayloadByName("protocolVersion"), System.Globalization.CultureInfo.InvariantCulture);
                        if (version != ProtocolVersion)
                        {
                            done.TrySetException(new ToolException(ExitCodes.InternalError, $"the agent in process {processId} speaks protocol {version}, this tool {ProtocolVersion}: use the tool of the same Leakproof version as the target"));
                            accepted.TrySetResult(0);
                            break;
                        }

                        int count = Convert.ToInt32(e.PayloadByName("count"), System.Globalization.CultureInfo.InvariantCulture);
                        state.Start(count, Convert.ToInt64(e.PayloadByName("jsonBytes"), System.Globalization.CultureInfo.InvariantCulture));
                        Trace($"round {attempt}: accepted, {count} chunks; the agent took {e.PayloadByName("captureMilliseconds")} ms after {e.PayloadByName("queuedMilliseconds")} ms queued; event stamped {(e.TimeStamp - sessionStarted).TotalMilliseconds:0} ms after the session's start");
                        accepted.TrySetResult(count);
                        if (state.IsComplete)
                        {
                            done.TrySetResult();
                        }

                        break;
                    case "CensusChunk":
                        int total = Convert.ToInt32(e.PayloadByName("count"), System.Globalization.CultureInfo.InvariantCulture);
                        int index = Convert.ToInt32(e.PayloadByName("index"), System.Globalization.CultureInfo.InvariantCulture);
                        state.Start(total, state.JsonBytes);
                        accepted.TrySetResult(total);
                        if (state.Add(index, (string)e.PayloadByName("data")))
                        {
                            Trace($"round {attempt}: last chunk ({index}) arrived");
                            done.TrySetResult();
                        }

                        break;
                    case "Completed":
                        Trace($"round {attempt}: completed seen");
                        break;
                    case "Failed":
                        accepted.TrySetResult(0);
                        done.TrySetException(new ToolException(ExitCodes.InternalError, $"the agent in process {processId} failed: {e.PayloadByName("message")}"));
                        break;
                }
            };
            processing = Task.Factory.StartNew(() => source.Process(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                if (!await WaitAsync(accepted.Task, processing, attempt == 0 ? AcceptTimeout : Timeout, cancellationToken).ConfigureAwait(false))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ThrowIfExited(processId, processing);
                    if (attempt == 0 && Processes.ProcessInspector.ProbeAgent(processId) != Processes.AgentPresence.Yes)
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

                // The agent writes its chunks in one loop right after Accepted: a few milliseconds for a few hundred
                // chunks. Give it that, then stop the session, which flushes every chunk written so far to the reader.
                int pending = Math.Clamp(accepted.Task.Result - from, 0, ChunksPerRound);
                TimeSpan grace = TimeSpan.FromMilliseconds(GraceBaseMs + (GraceMsPerChunk * pending));
                await WaitAsync(done.Task, processing, grace, cancellationToken).ConfigureAwait(false);
                Trace($"round {attempt}: stopping the session with {state.Received} of {accepted.Task.Result} chunks");
                await StopAsync(session).ConfigureAwait(false);
                await WaitAsync(processing, processing, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                Trace($"round {attempt}: stream ended with {state.Received} of {accepted.Task.Result} chunks");
                if (done.Task.IsFaulted)
                {
                    await done.Task.ConfigureAwait(false);
                }
            }
            finally
            {
                await StopAsync(session).ConfigureAwait(false);
                await WaitAsync(processing, processing, TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The fixed part of the time the agent gets to write its chunks before the session stops.</summary>
    internal const int GraceBaseMs = 20;

    /// <summary>The per-chunk part of that time (a chunk takes well under 0.1 ms to write).</summary>
    internal const double GraceMsPerChunk = 0.5;

    /// <summary>The chunks received so far, across rounds; written on the reading thread, read after it ends.</summary>
    private sealed class ReplyState
    {
        private readonly Lock _gate = new();

        public string?[]? Chunks { get; private set; }

        public int Received { get; private set; }

        public long JsonBytes { get; private set; }

        public bool IsComplete
        {
            get
            {
                lock (_gate)
                {
                    return Chunks is not null && Received == Chunks.Length;
                }
            }
        }

        public void Start(int count, long jsonBytes)
        {
            lock (_gate)
            {
                Chunks ??= new string?[Math.Max(0, count)];
                JsonBytes = jsonBytes;
            }
        }

        /// <summary>Stores a chunk; returns true when it was the last missing one.</summary>
        public bool Add(int index, string data)
        {
            lock (_gate)
            {
                if (Chunks is null || index < 0 || index >= Chunks.Length || Chunks[index] is not null)
                {
                    return false;
                }

                Chunks[index] = data;
                return ++Received == Chunks.Length;
            }
        }

        public int FirstMissing()
        {
            lock (_gate)
            {
                return Chunks is null ? 0 : Math.Max(0, Array.IndexOf(Chunks, null));
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

    private static void ThrowIfExited(int processId, Task processing, bool checkProcessing = true)
    {
        if ((checkProcessing && processing.IsCompleted) || ProcessExited(processId))
        {
            throw new ToolException(ExitCodes.CannotAttach, $"process {processId} exited during the census");
        }
    }
}
