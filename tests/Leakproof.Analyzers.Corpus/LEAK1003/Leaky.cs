namespace Corpus.Leak1003.Leaky;

public interface IInventory
{
    Task<int> CountAsync(string sku, CancellationToken cancellationToken);
}

public sealed class StockService(IInventory inventory)
{
    private CancellationTokenSource? _refresh;

    public Task<int> CountWithTimeoutAsync(string sku) =>
        inventory.CountAsync(sku, new CancellationTokenSource(TimeSpan.FromSeconds(2)).Token); // LEAK: LEAK1003

    public async Task<int> CountLinkedAsync(string sku, CancellationToken requestAborted, CancellationToken shutdown)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, shutdown); // LEAK: LEAK1003
        return await inventory.CountAsync(sku, linked.Token);
    }

    public async Task<int> CountWithDeadlineAsync(string sku)
    {
        var cts = new CancellationTokenSource(); // LEAK: LEAK1003
        cts.CancelAfter(TimeSpan.FromSeconds(1));
        return await inventory.CountAsync(sku, cts.Token);
    }

    public void RestartRefresh(CancellationToken shutdown)
    {
        _refresh = CancellationTokenSource.CreateLinkedTokenSource(shutdown); // LEAK: LEAK1003
    }

    public async Task<int> CountOrZeroAsync(string sku, CancellationToken cancellationToken, bool skip)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken); // LEAK: LEAK1003
        if (skip)
        {
            return 0;
        }

        int count = await inventory.CountAsync(sku, linked.Token);
        linked.Dispose();
        return count;
    }
}
