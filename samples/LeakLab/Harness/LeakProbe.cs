using System.Threading.Channels;

namespace LeakLab.Harness;

/// <summary>
/// What one variant left behind, counted by the variant's own code at the points where work starts and ends
/// (the same places a service would put a log line), plus process-wide counters sampled around the run.
/// </summary>
public sealed class LeakProbe
{
    private readonly List<Func<int>> _gauges = [];
    private int _running;
    private int _blockedWriters;

    /// <summary>Gets the work items that started and have not ended, including those reported by gauges.</summary>
    public int StillRunning => Volatile.Read(ref _running) + _gauges.Sum(g => g());

    /// <summary>Counts work this run started but that lives in static state (a loop from a static constructor).</summary>
    public void Observe(Func<int> gauge) => _gauges.Add(gauge);

    /// <summary>Gets the producers parked in a channel write.</summary>
    public int BlockedWriters => Volatile.Read(ref _blockedWriters);

    /// <summary>Marks a unit of work as running until the returned handle is disposed.</summary>
    public IDisposable Running()
    {
        Interlocked.Increment(ref _running);
        return new Decrement(() => Interlocked.Decrement(ref _running));
    }

    /// <summary>Writes to a channel, counting the writer as blocked while the write is pending.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    public async ValueTask WriteAsync<T>(ChannelWriter<T> writer, T item, CancellationToken cancellationToken = default)
    {
        if (writer.TryWrite(item))
        {
            return;
        }

        Interlocked.Increment(ref _blockedWriters);
        try
        {
            await writer.WriteAsync(item, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _blockedWriters);
        }
    }

    private sealed class Decrement(Action action) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                action();
            }
        }
    }
}
