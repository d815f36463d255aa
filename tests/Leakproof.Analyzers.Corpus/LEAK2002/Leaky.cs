namespace Corpus.Leak2002.Leaky;

public interface IReplica
{
    Task<string> QueryAsync(string sql, CancellationToken cancellationToken);
}

public sealed class FastestReplica(IReplica[] replicas)
{
    public async Task<string> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        Task<string> winner = await Task.WhenAny(replicas.Select(r => r.QueryAsync(sql, cancellationToken))); // LEAK: LEAK2002
        return await winner;
    }

    public async Task<string> PrimaryOrSecondaryAsync(string sql, CancellationToken cancellationToken)
    {
        var primary = replicas[0].QueryAsync(sql, cancellationToken);
        var secondary = replicas[1].QueryAsync(sql, cancellationToken);
        var first = await Task.WhenAny(primary, secondary); // LEAK: LEAK2002
        return first.Result;
    }

    public async Task<string> AnyOfTwoAsync(string sql)
    {
        var done = await Task.WhenAny(replicas[0].QueryAsync(sql, default), replicas[1].QueryAsync(sql, default)); // LEAK: LEAK2002
        return await done;
    }
}
