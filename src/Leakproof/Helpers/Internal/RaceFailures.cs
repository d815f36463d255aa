using System;
using System.Diagnostics;
using System.Threading;

namespace Leakproof.Helpers.Internal;

/// <summary>Records competitor failures by index, so an all-failed race reports them in competitor order.</summary>
internal static class RaceFailures
{
    /// <summary>Stores <paramref name="exception"/> at <paramref name="index"/>, creating the array on first use.</summary>
    /// <param name="failures">The race's failure array (created here on the first failure).</param>
    /// <param name="count">The number of competitors.</param>
    /// <param name="index">The failed competitor's index.</param>
    /// <param name="exception">The failure.</param>
    public static void Record(ref Exception?[]? failures, int count, int index, Exception exception)
    {
        Exception?[] array = Volatile.Read(ref failures)
            ?? Interlocked.CompareExchange(ref failures, new Exception?[count], null)
            ?? Volatile.Read(ref failures)!;
        array[index] = exception;
    }

    /// <summary>Creates the exception of a race whose every competitor failed.</summary>
    /// <param name="failures">The race's failure array.</param>
    /// <returns>An <see cref="AggregateException"/> of every failure in competitor order.</returns>
    public static AggregateException AllFailed(Exception?[]? failures)
    {
        Debug.Assert(failures is not null && Array.TrueForAll(failures, f => f is not null), "Without a winner or a cancellation every competitor ran and failed.");
        Exception[] inner = Array.FindAll(failures!, static f => f is not null)!;
        return new AggregateException(
            $"All {inner.Length} competitors of the race failed; the inner exceptions are in competitor order.",
            inner);
    }
}
