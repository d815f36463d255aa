namespace Corpus.Leak2003.Leaky;

public interface IExporter
{
    Task ExportAsync(IReadOnlyList<string> batch, CancellationToken cancellationToken);
}

public sealed class BatchProcessor(IExporter exporter)
{
    public async Task<bool> ForceFlushAsync(IReadOnlyList<string> batch, TimeSpan timeout)
    {
        Task export = exporter.ExportAsync(batch, CancellationToken.None);
        Task winner = await Task.WhenAny(export, Task.Delay(timeout)); // LEAK: LEAK2003
        return winner == export;
    }

    public Task FlushWithDeadlineAsync(IReadOnlyList<string> batch, CancellationToken cancellationToken) =>
        exporter.ExportAsync(batch, cancellationToken).WaitAsync(TimeSpan.FromSeconds(5)); // LEAK: LEAK2003

    public async Task<bool> TryFlushAsync(IReadOnlyList<string> batch, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(TimeSpan.FromSeconds(5));
        var export = exporter.ExportAsync(batch, cts.Token);
        var first = await Task.WhenAny(export, delay); // LEAK: LEAK2003
        cts.Cancel();
        return first == export;
    }

    public async Task FlushTimedAsync(IReadOnlyList<string> batch)
    {
        await exporter.ExportAsync(batch, default).WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System); // LEAK: LEAK2003
    }
}
