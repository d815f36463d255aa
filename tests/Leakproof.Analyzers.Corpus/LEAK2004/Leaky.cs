using Microsoft.Extensions.Hosting;

namespace Corpus.Leak2004.Leaky;

public interface IQueue
{
    Task<string?> PollAsync(CancellationToken cancellationToken = default);
}

public sealed class QueueWorker(IQueue queue)
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            while (true) // LEAK: LEAK2004
            {
                string? message = await queue.PollAsync();
                Console.WriteLine(message);
            }
        }, cancellationToken);

    public void StartPump() =>
        new Thread(() =>
        {
            for (;;) // LEAK: LEAK2004
            {
                Console.WriteLine("pump");
            }
        }).Start();
}

public sealed class MetricsPublisher(IQueue queue) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken) // LEAK: LEAK2004
    {
        while (true) // LEAK: LEAK2004
        {
            await queue.PollAsync();
            await Task.Delay(TimeSpan.FromSeconds(10));
        }
    }
}

public sealed class Reconnector
{
    public async Task KeepConnectedAsync(Func<Task> connect, CancellationToken cancellationToken)
    {
        do // LEAK: LEAK2004
        {
            await connect();
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        while (true);
    }
}
