using System;
using System.Threading;

namespace Leakproof;

/// <summary>
/// Represents the arguments of <see cref="BackgroundLoopOptions.OnError"/>: a tick of a background loop failed.
/// </summary>
public readonly struct OnBackgroundLoopErrorArguments
{
    /// <summary>
    /// Initializes a new instance of the <see cref="OnBackgroundLoopErrorArguments"/> struct.
    /// </summary>
    /// <param name="exception">The exception the tick threw.</param>
    /// <param name="loopName">The loop's name.</param>
    /// <param name="tickNumber">The number of the failed tick, starting at 1.</param>
    /// <param name="cancellationToken">The loop's token, cancelled when the loop stops.</param>
    public OnBackgroundLoopErrorArguments(Exception exception, string loopName, long tickNumber, CancellationToken cancellationToken)
    {
        Exception = exception;
        LoopName = loopName;
        TickNumber = tickNumber;
        CancellationToken = cancellationToken;
    }

    /// <summary>Gets the exception the tick threw.</summary>
    public Exception Exception { get; }

    /// <summary>Gets the loop's name.</summary>
    public string LoopName { get; }

    /// <summary>Gets the number of the failed tick, starting at 1.</summary>
    public long TickNumber { get; }

    /// <summary>Gets the loop's token; it is cancelled when the loop stops, so a slow handler does not hold up the stop.</summary>
    public CancellationToken CancellationToken { get; }
}
