namespace Corpus.Leak2003.Fixed;

public interface IExporter
{
    Task ExportAsync(IReadOnlyList<string> batch, CancellationToken cancellationToken);
}

public sealed class BatchProcessor(IExporter exporter)
{
    public async Task<bool> ForceFlushAsync(IReadOnlyList<string> batch, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await exporter.ExportAsync(batch, cts.Token);
            return true;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return false;
        }
    }

    public async Task FlushWithDeadlineAsync(IReadOnlyList<string> batch, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(5));
        await exporter.ExportAsync(batch, cts.Token);
    }

    public async Task<bool> TryFlushAsync(IReadOnlyList<string> batch, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(TimeSpan.FromSeconds(5), cts.Token);
        var export = exporter.ExportAsync(batch, cts.Token);
        var first = await Task.WhenAny(export, delay);
        cts.Cancel();
        return first == export;
    }

    public async Task FlushOrGiveUpAsync(IReadOnlyList<string> batch, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task export = exporter.ExportAsync(batch, cts.Token);
        try
        {
            await export.WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
            await cts.CancelAsync();
            throw;
        }
    }
}
