using System;
using System.Threading;

namespace Leakproof.Tests.Helpers;

/// <summary>Counts operations that have started and not yet left their <c>finally</c>: a leak is a count above zero.</summary>
public sealed class RunningCounter
{
    private int _running;
    private int _started;

    public int Running => Volatile.Read(ref _running);

    public int Started => Volatile.Read(ref _started);

    /// <summary>Marks an operation started; dispose the result in the operation's <c>finally</c>.</summary>
    public Scope Enter()
    {
        Interlocked.Increment(ref _started);
        Interlocked.Increment(ref _running);
        return new Scope(this);
    }

    public readonly struct Scope : IDisposable
    {
        private readonly RunningCounter _counter;

        public Scope(RunningCounter counter) => _counter = counter;

        public void Dispose() => Interlocked.Decrement(ref _counter._running);
    }
}
