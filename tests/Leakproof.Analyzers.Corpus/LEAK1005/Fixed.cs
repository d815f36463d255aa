namespace Corpus.Leak1005.Fixed;

public sealed class CacheJanitor : IDisposable
{
    private readonly Timer _sweep;

    public CacheJanitor() => _sweep = new Timer(_ => Sweep(), null, 60_000, 60_000);

    private static void Sweep()
    {
    }

    public void Dispose() => _sweep.Dispose();
}

public sealed class ConnectionPool : IAsyncDisposable
{
    private ITimer? _idleCheck;

    public void Start(TimeProvider timeProvider)
    {
        _idleCheck = timeProvider.CreateTimer(_ => TrimIdle(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
    }

    private void TrimIdle()
    {
    }

    public ValueTask DisposeAsync() => _idleCheck?.DisposeAsync() ?? default;
}

public sealed class RetryScheduler : IDisposable
{
    private readonly List<IDisposable> _pending = new();

    public void ScheduleRetry(Action retry)
    {
        var timer = new Timer(_ => retry(), null, 5_000, Timeout.Infinite);
        _pending.Add(timer);
    }

    public async Task PollAsync(Func<Task> poll, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await poll();
        }
    }

    public void Dispose() => _pending.ForEach(p => p.Dispose());
}
