using LeakLab.Harness;

namespace LeakLab.Scenarios.FirstResponse;

/// <summary>Go's classic first-response-wins <c>queryAll</c>: ask every replica, take the first answer with
/// <c>Task.WhenAny</c>. The losers are never cancelled nor awaited: they run on, holding timers and connections.</summary>
internal sealed class LeakyQueryClient(LeakProbe probe)
{
    public async Task<string> QueryAllAsync()
    {
        List<Task<string>> queries = Replica.All.Select(QueryAsync).ToList();
        Task<string> first = await Task.WhenAny(queries);
        return await first;
    }

    private async Task<string> QueryAsync(string replica)
    {
        using (probe.Running())
        {
            await Task.Delay(Replica.Latency(replica)); // LEAK-SITE
            return replica;
        }
    }
}
