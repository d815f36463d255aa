using System;
using System.Threading;
using Microsoft.Extensions.Time.Testing;

namespace Leakproof.Tests.TestSupport;

/// <summary>
/// A fake clock that also counts the timers created on it and those still alive (not disposed): a timer that
/// outlives its owner is the footprint of a leaked loop.
/// </summary>
public sealed class TimerTrackingTimeProvider : TimeProvider
{
    private int _created;
    private int _live;

    public FakeTimeProvider Fake { get; } = new();

    public int TimersCreated => Volatile.Read(ref _created);

    public int LiveTimers => Volatile.Read(ref _live);

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public void Advance(TimeSpan delta) => Fake.Advance(delta);

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _created);
        Interlocked.Increment(ref _live);
        return new TrackedTimer(this, Fake.CreateTimer(callback, state, dueTime, period));
    }

    private sealed class TrackedTimer(TimerTrackingTimeProvider owner, ITimer inner) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._live);
            }

            inner.Dispose();
        }

        public System.Threading.Tasks.ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
