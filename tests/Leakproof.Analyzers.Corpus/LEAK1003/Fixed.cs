namespace Corpus.Leak1003.Fixed;

public interface IInventory
{
    Task<int> CountAsync(string sku, CancellationToken cancellationToken);
}

public sealed class StockService(IInventory inventory) : IDisposable
{
    private CancellationTokenSource? _refresh;

    public async Task<int> CountWithTimeoutAsync(string sku)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        return await inventory.CountAsync(sku, cts.Token);
    }

    public async Task<int> CountLinkedAsync(string sku, CancellationToken requestAborted, CancellationToken shutdown)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, shutdown);
        return await inventory.CountAsync(sku, linked.Token);
    }

    public async Task<int> CountWithDeadlineAsync(string sku)
    {
        var cts = new CancellationTokenSource();
        try
        {
            cts.CancelAfter(TimeSpan.FromSeconds(1));
            return await inventory.CountAsync(sku, cts.Token);
        }
        finally
        {
            cts.Dispose();
        }
    }

    public void RestartRefresh(CancellationToken shutdown)
    {
        _refresh?.Cancel();
        _refresh?.Dispose();
        _refresh = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
    }

    public async Task<int> CountOrZeroAsync(string sku, CancellationToken cancellationToken, bool skip)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (skip)
        {
            return 0;
        }

        return await inventory.CountAsync(sku, linked.Token);
    }

    public CancellationTokenSource CreateRequestSource(CancellationToken shutdown) =>
        CancellationTokenSource.CreateLinkedTokenSource(shutdown);

    public void Dispose() => _refresh?.Dispose();
}
