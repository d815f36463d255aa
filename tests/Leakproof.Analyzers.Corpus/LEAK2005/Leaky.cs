using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Corpus.Leak2005.Leaky;

public sealed class DeltaStream
{
    private readonly Channel<string> _requests = Channel.CreateBounded<string>(1);
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    public async Task ReceiveLoopAsync(Func<Task<string>> receive, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string request = await receive();
            await _requests.Writer.WriteAsync(request); // LEAK: LEAK2005
        }
    }

    public async Task ProcessLoopAsync(Func<string, Task> send)
    {
        while (true)
        {
            string request = await _requests.Reader.ReadAsync(); // LEAK: LEAK2005
            await _sendLock.WaitAsync(); // LEAK: LEAK2005
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

    public Task KeepAliveAsync() => Task.Delay(Timeout.Infinite); // LEAK: LEAK2005
}

public sealed class LegacyWorker
{
    private readonly BlockingCollection<int> _jobs = new();
    private readonly ManualResetEventSlim _resume = new();

    public Task Start() => Task.Run(() =>
    {
        foreach (var _ in Enumerable.Range(0, 10))
        {
            _resume.Wait(); // LEAK: LEAK2005
            int job = _jobs.Take(); // LEAK: LEAK2005
            Console.WriteLine(job);
        }
    });

    public void Enqueue(int job) => _jobs.Add(job);
}
