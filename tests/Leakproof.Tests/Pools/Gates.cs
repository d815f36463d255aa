using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Pools;

/// <summary>A job handler whose jobs block until the test releases them; records starts and concurrency.</summary>
public sealed class Gates
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _gates = new();
    private readonly Channel<int> _starts = Channel.CreateUnbounded<int>();
    private readonly ConcurrentQueue<int> _started = new();
    private int _running;
    private int _maxRunning;
    private volatile bool _releaseAll;

    public int Running => Volatile.Read(ref _running);

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public IReadOnlyCollection<int> Started => _started.ToArray();

    /// <summary>Returns the job number once released; ignores the token, like much real code.</summary>
    public async ValueTask<int> Handler(int job, CancellationToken cancellationToken)
    {
        int now = Interlocked.Increment(ref _running);
        int max;
        while (now > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, now, max) != max)
        {
        }

        _started.Enqueue(job);
        _starts.Writer.TryWrite(job);
        try
        {
            if (!_releaseAll)
            {
                await Gate(job).Task;
            }

            return job;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public async Task WaitForStartsAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await _starts.Reader.ReadAsync().Guard();
        }
    }

    public void Release(int job) => Gate(job).TrySetResult();

    public void ReleaseAll()
    {
        _releaseAll = true;
        foreach (TaskCompletionSource gate in _gates.Values.ToArray())
        {
            gate.TrySetResult();
        }
    }

    private TaskCompletionSource Gate(int job)
    {
        TaskCompletionSource gate = _gates.GetOrAdd(job, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_releaseAll)
        {
            gate.TrySetResult();
        }

        return gate;
    }
}
