namespace Corpus.Leak1005.Leaky;

public static class CacheJanitor
{
    private static readonly Timer s_sweep = new(_ => Sweep(), null, 60_000, 60_000); // LEAK: LEAK1005

    private static void Sweep()
    {
    }

    public static bool IsRunning => s_sweep is not null;
}

public sealed class ConnectionPool
{
    private ITimer? _idleCheck; // LEAK: LEAK1005

    public void Start(TimeProvider timeProvider)
    {
        _idleCheck = timeProvider.CreateTimer(_ => TrimIdle(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
    }

    private void TrimIdle()
    {
    }
}

public sealed class RetryScheduler
{
    public void ScheduleRetry(Action retry)
    {
        new Timer(_ => retry(), null, 5_000, Timeout.Infinite); // LEAK: LEAK1005
    }

    public async Task PollAsync(Func<Task> poll, CancellationToken cancellationToken)
    {
        var timer = new PeriodicTimer(TimeSpan.FromSeconds(1)); // LEAK: LEAK1005
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await poll();
        }
    }
}
