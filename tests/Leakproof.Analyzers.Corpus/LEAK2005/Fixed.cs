using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Corpus.Leak2005.Fixed;

public sealed class DeltaStream
{
    private readonly Channel<string> _requests = Channel.CreateBounded<string>(1);
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    public async Task ReceiveLoopAsync(Func<Task<string>> receive, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string request = await receive();
            await _requests.Writer.WriteAsync(request, cancellationToken);
        }
    }

    public async Task ProcessLoopAsync(Func<string, Task> send, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                string request = await _requests.Reader.ReadAsync(cancellationToken);
                await _sendLock.WaitAsync(cancellationToken);
                try
                {
                    await send(request);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
        }
        finally
        {
            _requests.Writer.TryComplete();
        }
    }

    public Task KeepAliveAsync(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

    public async Task SendOnceAsync(Func<Task> send)
    {
        await _sendLock.WaitAsync();
        try
        {
            await send();
        }
        finally
        {
            _sendLock.Release();
        }
    }
}

public sealed class LegacyWorker
{
    private readonly BlockingCollection<int> _jobs = new();
    private readonly ManualResetEventSlim _resume = new();

    public Task Start(CancellationToken cancellationToken) => Task.Run(() =>
    {
        foreach (var _ in Enumerable.Range(0, 10))
        {
            _resume.Wait(cancellationToken);
            if (_jobs.TryTake(out int job, TimeSpan.FromSeconds(1)))
            {
                Console.WriteLine(job);
            }
        }
    }, cancellationToken);

    public void Enqueue(int job) => _jobs.Add(job);
}
