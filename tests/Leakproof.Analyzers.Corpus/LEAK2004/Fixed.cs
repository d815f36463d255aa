using Microsoft.Extensions.Hosting;

namespace Corpus.Leak2004.Fixed;

public interface IQueue
{
    Task<string?> PollAsync(CancellationToken cancellationToken = default);
}

public sealed class QueueWorker(IQueue queue)
{
    private volatile bool _stopped;

    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            while (true)
            {
                string? message = await queue.PollAsync(cancellationToken);
                Console.WriteLine(message);
            }
        }, cancellationToken);

    public void StartPump() =>
        new Thread(() =>
        {
            for (;;)
            {
                if (_stopped)
                {
                    return;
                }

                Console.WriteLine("pump");
            }
        }).Start();

    public void Stop() => _stopped = true;
}

public sealed class MetricsPublisher(IQueue queue) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await queue.PollAsync(stoppingToken);
            await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
        }
    }
}

public sealed class Reconnector
{
    public async Task KeepConnectedAsync(Func<Task> connect, CancellationToken cancellationToken)
    {
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            await connect();
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        while (true);
    }

    public int CountLines(string text, CancellationToken cancellationToken)
    {
        int lines = 0;
        int index = 0;
        while (true)
        {
            index = text.IndexOf('\n', index) + 1;
            if (index == 0)
            {
                return lines;
            }

            lines++;
        }
    }
}
