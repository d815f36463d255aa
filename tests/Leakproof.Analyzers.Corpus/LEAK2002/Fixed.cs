namespace Corpus.Leak2002.Fixed;

public interface IReplica
{
    Task<string> QueryAsync(string sql, CancellationToken cancellationToken);
}

public sealed class FastestReplica(IReplica[] replicas)
{
    public async Task<string> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var all = replicas.Select(r => r.QueryAsync(sql, cts.Token)).ToList();
        Task<string> winner = await Task.WhenAny(all);
        await cts.CancelAsync();
        try
        {
            await Task.WhenAll(all);
        }
        catch (OperationCanceledException)
        {
        }

        return await winner;
    }

    public async Task<string> PrimaryOrSecondaryAsync(string sql, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var primary = replicas[0].QueryAsync(sql, cts.Token);
        var secondary = replicas[1].QueryAsync(sql, cts.Token);
        var first = await Task.WhenAny(primary, secondary);
        cts.Cancel();
        await Task.WhenAll(primary, secondary).ContinueWith(static _ => { }, TaskScheduler.Default);
        return await first;
    }

    public async Task LogAsTheyCompleteAsync(string sql, CancellationToken cancellationToken)
    {
        var pending = replicas.Select(r => r.QueryAsync(sql, cancellationToken)).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            Console.WriteLine(await done);
        }
    }
}
