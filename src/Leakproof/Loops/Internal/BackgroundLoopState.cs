namespace Leakproof.Loops.Internal;

/// <summary>The life cycle of a <see cref="BackgroundLoop"/>; it only moves forward.</summary>
internal enum BackgroundLoopState
{
    /// <summary>Constructed; nothing runs and no timer exists.</summary>
    NotStarted = 0,

    /// <summary>Started: the loop's scope exists and its loop child was spawned.</summary>
    Started,

    /// <summary>Stopped with <see cref="BackgroundLoop.StopAsync"/>; it cannot start again.</summary>
    Stopped,

    /// <summary>Disposed.</summary>
    Disposed,
}
