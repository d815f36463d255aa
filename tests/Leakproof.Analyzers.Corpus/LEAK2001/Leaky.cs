namespace Corpus.Leak2001.Leaky;

public interface ICatalog
{
    Task<string> GetProductAsync(int id, CancellationToken cancellationToken);

    Task<decimal> GetPriceAsync(int id, CancellationToken cancellationToken);
}

public sealed class ProductPage(ICatalog catalog)
{
    public async Task<string> RenderAsync(int id, CancellationToken cancellationToken)
    {
        Task<string> product = catalog.GetProductAsync(id, cancellationToken);
        Task<decimal> price = catalog.GetPriceAsync(id, cancellationToken);
        string name = await product; // LEAK: LEAK2001
        decimal amount = await price;
        return $"{name}: {amount}";
    }

    public async Task<string[]> RenderManyAsync(int[] ids, CancellationToken cancellationToken)
    {
        return await Task.WhenAll(ids.Select(id => catalog.GetProductAsync(id, cancellationToken))); // LEAK: LEAK2001
    }

    public async Task WarmAsync(int[] ids, CancellationToken cancellationToken)
    {
        var tasks = new List<Task>();
        foreach (int id in ids)
        {
            tasks.Add(catalog.GetProductAsync(id, cancellationToken));
            tasks.Add(catalog.GetPriceAsync(id, cancellationToken));
        }

        await Task.WhenAll(tasks); // LEAK: LEAK2001
    }

    public Task BothAsync(int id, CancellationToken cancellationToken) =>
        Task.WhenAll(catalog.GetProductAsync(id, cancellationToken), catalog.GetPriceAsync(id, cancellationToken)); // LEAK: LEAK2001
}
