using System;
using Microsoft.Extensions.Logging;

namespace Leakproof.Hosting.Internal;

/// <summary>The log messages of Leakproof.Hosting (source-generated, no boxing, AOT-safe).</summary>
internal static partial class HostingLog
{
    /// <summary>The category every Leakproof.Hosting message is logged under.</summary>
    public const string Category = "Leakproof.Hosting";

    [LoggerMessage(EventId = 1, EventName = "BackgroundLoopTickFailed", Level = LogLevel.Error,
        Message = "Tick {TickNumber} of the background loop '{LoopName}' failed; the loop goes on with the next tick.")]
    public static partial void TickFailed(ILogger logger, Exception exception, string loopName, long tickNumber);

    [LoggerMessage(EventId = 2, EventName = "BackgroundLoopDidNotStop", Level = LogLevel.Error,
        Message = "The background loop '{LoopName}' did not stop before the host's shutdown token was cancelled: its running tick ignores cancellation and is still running.")]
    public static partial void LoopDidNotStop(ILogger logger, string loopName);

    [LoggerMessage(EventId = 3, EventName = "TaskScopeWorkerDidNotStop", Level = LogLevel.Error,
        Message = "The task scope worker '{ScopeName}' did not stop before the host's shutdown token was cancelled; these children ignore cancellation and are still running: {Children}")]
    public static partial void ScopeDidNotStop(ILogger logger, string scopeName, string children);
}
