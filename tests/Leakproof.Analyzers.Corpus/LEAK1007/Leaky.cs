using System.IO;
using System.Net.Http;
using System.Threading.Channels;

namespace Corpus.Leak1007.Leaky;

public sealed record Order(int Id, decimal Amount);

public sealed class OrderPipeline
{
    private readonly Channel<Order> _orders = Channel.CreateBounded<Order>(16);

    public ValueTask SubmitAsync(Order order, CancellationToken cancellationToken) =>
        _orders.Writer.WriteAsync(order, cancellationToken);

    public async Task ProcessAsync(CancellationToken cancellationToken)
    {
        await foreach (Order order in _orders.Reader.ReadAllAsync(cancellationToken))
        {
            if (order.Amount < 0)
            {
                throw new InvalidDataException($"Order {order.Id} has a negative amount."); // LEAK: LEAK1007
            }

            await Task.Yield();
        }
    }
}

public sealed class LogShipper
{
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(1024) { SingleReader = true });

    public bool TryEnqueue(string line) => _lines.Writer.TryWrite(line);

    public async Task ShipAsync(Stream destination, CancellationToken cancellationToken)
    {
        while (await _lines.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_lines.Reader.TryRead(out string? line))
            {
                if (!destination.CanWrite)
                {
                    return; // LEAK: LEAK1007
                }

                byte[] bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
                try
                {
                    await destination.WriteAsync(bytes, cancellationToken);
                }
                catch (IOException)
                {
                    return; // LEAK: LEAK1007
                }
            }
        }
    }
}

public static class Crawler
{
    public static async Task<int> CrawlAsync(IReadOnlyList<Uri> seeds, Func<Uri, CancellationToken, Task<int>> fetch, CancellationToken cancellationToken)
    {
        var pending = Channel.CreateBounded<Uri>(4);
        Task producer = Task.Run(
            async () =>
            {
                foreach (Uri seed in seeds)
                {
                    await pending.Writer.WriteAsync(seed, cancellationToken);
                }

                pending.Writer.TryComplete();
            },
            cancellationToken);

        int total = 0;
        try
        {
            while (true)
            {
                Uri next = await pending.Reader.ReadAsync(cancellationToken);
                total += await fetch(next, cancellationToken);
            }
        }
        catch (ChannelClosedException)
        {
            // every seed was read
        }
        catch (HttpRequestException)
        {
            return -1; // LEAK: LEAK1007
        }

        await producer;
        return total;
    }
}
