using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Loops;

/// <summary>
/// The go-ethereum meter incident (shared/seeds/001): touching a type starts a ticker loop that nobody can stop.
/// The checker is the clock itself: a loop that outlives its owner keeps a live timer and keeps ticking.
/// </summary>
public sealed class BackgroundLoopLeakTests
{
    private static readonly TimeSpan s_period = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task StaticConstructorTaskRunLoop_AfterOwnerIsDone_LeaksATimerAndKeepsTicking()
    {
        // Touching the type runs its static constructor, which starts the loop: nobody asked for it.
        ChannelReader<long> ticks = LeakyMeter.Ticks;
        await LeakyMeter.Started.Guard();
        LeakyMeter.Time.Advance(s_period);
        Assert.Equal(1, await ticks.ReadAsync().Guard());

        // The "owner" (this test) is done, and there is no API to stop the loop.
        LeakyMeter.Time.Advance(s_period);
        Assert.Equal(2, await ticks.ReadAsync().Guard());

        // Caught: a timer is still alive, and will be for the life of the process.
        Assert.True(LeakyMeter.Time.LiveTimers >= 1);
    }

    [Fact]
    public async Task StaticBackgroundLoop_StartsOnFirstUseAndStops_LeavesNoTimerAndNoTicks()
    {
        // Touching the type creates the loop but starts nothing.
        LazyMeter meter = LazyMeter.Instance;
        Assert.Equal(0, meter.Time.TimersCreated);
        meter.Time.Advance(s_period * 10);
        Assert.False(meter.Ticks.TryRead(out _));

        meter.Mark(); // First real use.
        Assert.Equal(1, meter.Time.LiveTimers);
        meter.Time.Advance(s_period);
        Assert.Equal(1, await meter.Ticks.ReadAsync().Guard());

        await meter.Loop.StopAsync().Guard();

        // Clean: no timer survives the owner and time passing runs nothing.
        Assert.Equal(0, meter.Time.LiveTimers);
        meter.Time.Advance(s_period * 10);
        Assert.False(meter.Ticks.TryRead(out _));
        Assert.False(meter.Loop.IsRunning);
    }

    /// <summary>The leaky shape: a static constructor starts a <c>Task.Run</c> loop with no owner and no stop.</summary>
    private static class LeakyMeter
    {
        private static readonly Channel<long> s_ticks = Channel.CreateUnbounded<long>();
        private static readonly TaskCompletionSource s_started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1810:Initialize reference type static fields inline", Justification = "The static constructor starting a loop is the incident under test.")]
        static LeakyMeter()
        {
            Time = new TimerTrackingTimeProvider();
            _ = Task.Run(async () =>
            {
                long n = 0;
                Task delay = Task.Delay(s_period, Time);
                s_started.TrySetResult();
                while (true)
                {
                    await delay;
                    delay = Task.Delay(s_period, Time); // The next timer exists before the tick is reported.
                    s_ticks.Writer.TryWrite(++n);
                }
            });
        }

        public static TimerTrackingTimeProvider Time { get; }

        public static ChannelReader<long> Ticks => s_ticks.Reader;

        public static Task Started => s_started.Task;
    }

    /// <summary>The fixed shape: the static field holds a loop that starts on first use and can be stopped.</summary>
    private sealed class LazyMeter
    {
        private readonly Channel<long> _ticks = Channel.CreateUnbounded<long>();
        private long _count;

        private LazyMeter()
        {
            Loop = new BackgroundLoop(
                _ =>
                {
                    _ticks.Writer.TryWrite(Interlocked.Increment(ref _count));
                    return default;
                },
                new BackgroundLoopOptions { Name = "lazy-meter", Period = s_period, TimeProvider = Time });
        }

        public static LazyMeter Instance { get; } = new();

        public TimerTrackingTimeProvider Time { get; } = new();

        public BackgroundLoop Loop { get; }

        public ChannelReader<long> Ticks => _ticks.Reader;

        public void Mark() => Loop.EnsureStarted();
    }
}
