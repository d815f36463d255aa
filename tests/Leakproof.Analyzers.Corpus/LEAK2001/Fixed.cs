using Leakproof;

namespace Corpus.Leak2001.Fixed;

public interface ICatalog
{
    Task<string> GetProductAsync(int id, CancellationToken cancellationToken);

    Task<decimal> GetPriceAsync(int id, CancellationToken cancellationToken);
}

public sealed class ProductPage(ICatalog catalog)
{
    public Task<string> RenderAsync(int id, CancellationToken cancellationToken) =>
        TaskScope.RunAsync(async (scope, ct) =>
        {
            Task<string> product = scope.Spawn(async t => await catalog.GetProductAsync(id, t));
            Task<decimal> price = scope.Spawn(async t => await catalog.GetPriceAsync(id, t));
            string name = await product;
            decimal amount = await price;
            return $"{name}: {amount}";
        }, cancellationToken: cancellationToken);

    public Task<string[]> RenderManyAsync(int[] ids, CancellationToken cancellationToken) =>
        TaskScope.RunAsync(async (scope, ct) =>
        {
            var pages = ids.Select(id => scope.Spawn(async t => await catalog.GetProductAsync(id, t))).ToList();
            return await Task.WhenAll(pages);
        }, cancellationToken: cancellationToken);

    public async Task WarmAsync(int[] ids, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new List<Task>();
        foreach (int id in ids)
        {
            tasks.Add(catalog.GetProductAsync(id, cts.Token));
        }

        try
        {
            await Task.WhenAll(tasks);
        }
        catch
        {
            await cts.CancelAsync();
            throw;
        }
    }

    public async Task<string> SequentialAsync(int id, CancellationToken cancellationToken)
    {
        string name = await catalog.GetProductAsync(id, cancellationToken);
        decimal amount = await catalog.GetPriceAsync(id, cancellationToken);
        return $"{name}: {amount}";
    }

    public Task ParallelAsync(int[] ids, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(ids, cancellationToken, async (id, ct) => await catalog.GetProductAsync(id, ct));
}
