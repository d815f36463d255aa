using System;

namespace Leakproof.Testing;

/// <summary>Describes a <see cref="System.Threading.Timer"/> the guarded code created and left running.</summary>
public sealed class LeakedTimer
{
    internal LeakedTimer(string callback, TimeSpan? period)
    {
        Callback = callback;
        Period = period;
    }

    /// <summary>Gets the timer's callback, as <c>Namespace.Type.Method</c>.</summary>
    public string Callback { get; }

    /// <summary>Gets the timer's period, or <see langword="null"/> for a one-shot timer.</summary>
    public TimeSpan? Period { get; }

    /// <summary>Returns the callback and period.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Period is { } period ? $"timer {Callback} every {period.TotalMilliseconds} ms" : $"timer {Callback} (one-shot)";
}
