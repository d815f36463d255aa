using LeakLab.Harness;
using Leakproof;

namespace LeakLab.Scenarios.StaticTicker;

/// <summary>The same registry with an owner: the ticker starts lazily on first use and stops when the owner disposes it.</summary>
internal sealed class FixedMeterRegistry : IAsyncDisposable
{
    private readonly BackgroundLoop _ticker;
    private long _ticks;

    public FixedMeterRegistry(LeakProbe probe)
    {
        _ticker = new BackgroundLoop(
            _ =>
            {
                Interlocked.Increment(ref _ticks);
                return ValueTask.CompletedTask;
            },
            new BackgroundLoopOptions { Name = "meter-ticker", Period = TimeSpan.FromMilliseconds(20) });
        probe.Observe(() => _ticker.IsRunning ? 1 : 0);
    }

    public void Mark(string meter)
    {
        _ticker.EnsureStarted();
        Interlocked.Increment(ref _ticks);
    }

    public ValueTask DisposeAsync() => _ticker.DisposeAsync();
}
