using System;
using System.Threading;
using Leakproof.Census.Agent;

namespace Leakproof.Census;

/// <summary>
/// The in-process agent that lets <c>dotnet-leakproof census</c> take a census of this process from outside, with no
/// pause: the tool sends a request through an EventPipe session, the agent captures the census on its own thread
/// and streams it back as events of the <see cref="EventSourceName"/> event source.
/// </summary>
/// <remarks>
/// Starting the agent enables the census (<see cref="AsyncCensus.Enable"/>) and starts one background thread named
/// <see cref="ThreadName"/>, which sleeps until a request arrives; the tool looks for that thread to tell whether a
/// process has the agent. Only operations created after the census was enabled are seen. All members are thread-safe.
/// </remarks>
public static class LeakproofAgent
{
    /// <summary>The name of the agent's event source (the EventPipe provider the tool enables).</summary>
    public const string EventSourceName = "Leakproof-Agent";

    /// <summary>The name of the agent's thread, visible to the operating system (15 characters: Linux's limit).</summary>
    public const string ThreadName = "Leakproof-Agent";

    private static readonly Lock s_gate = new();
    private static AgentEventSource? s_source;

    /// <summary>Gets a value indicating whether the agent is running.</summary>
    public static bool IsStarted => Volatile.Read(ref s_source) is not null;

    /// <summary>Enables the census with <paramref name="options"/> and starts the agent; later calls only widen the census.</summary>
    /// <param name="options">What the census tracks, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException">An option is <see langword="null"/>.</exception>
    public static void Start(CensusOptions? options = null)
    {
        AsyncCensus.Enable(options);
        lock (s_gate)
        {
            if (s_source is null)
            {
#pragma warning disable CA2000 // The agent lives as long as the process.
                Volatile.Write(ref s_source, AgentEventSource.Create());
#pragma warning restore CA2000
            }
        }
    }
}
