using LeakLab.Harness;
using Leakproof;

namespace LeakLab.Scenarios.FirstResponse;

/// <summary>The same query as a race: the first success wins, the losers are cancelled and awaited before it returns.</summary>
internal sealed class FixedQueryClient(LeakProbe probe)
{
    public Task<string> QueryAllAsync() =>
        TaskScope.RaceAsync(Replica.All.Select(replica => (Func<CancellationToken, ValueTask<string>>)(ct => QueryAsync(replica, ct))));

    private async ValueTask<string> QueryAsync(string replica, CancellationToken cancellationToken)
    {
        using (probe.Running())
        {
            await Task.Delay(Replica.Latency(replica), TimeProvider.System, cancellationToken);
            return replica;
        }
    }
}
