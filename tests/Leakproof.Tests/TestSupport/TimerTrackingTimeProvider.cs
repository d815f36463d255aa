using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Leakproof.Tests.TestSupport;

/// <summary>
/// A fake clock that also counts the timers created on it and those still alive (not disposed): a timer that
/// outlives its owner is the footprint of a leaked loop.
/// </summary>
public sealed class TimerTrackingTimeProvider : TimeProvider
{
    private readonly Channel<TimeSpan> _dueTimes = Channel.CreateUnbounded<TimeSpan>();
    private int _created;
    private int _live;

    public FakeTimeProvider Fake { get; } = new();

    public int TimersCreated => Volatile.Read(ref _created);

    public int LiveTimers => Volatile.Read(ref _live);

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public void Advance(TimeSpan delta) => Fake.Advance(delta);

    /// <summary>Waits until a timer is next armed (created or changed with a finite due time) and returns its due time:
    /// advance the clock only after that.</summary>
    public Task<TimeSpan> NextTimerAsync() => _dueTimes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _created);
        Interlocked.Increment(ref _live);
        var timer = new TrackedTimer(this, Fake.CreateTimer(callback, state, dueTime, period));
        Armed(dueTime);
        return timer;
    }

    private void Armed(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _dueTimes.Writer.TryWrite(dueTime);
        }
    }

    private sealed class TrackedTimer(TimerTrackingTimeProvider owner, ITimer inner) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool changed = inner.Change(dueTime, period);
            owner.Armed(dueTime);
            return changed;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._live);
            }

            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
