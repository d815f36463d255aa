using LeakLab.Harness;
using Leakproof;

namespace LeakLab.Scenarios.FanOut;

/// <summary>The same fan-out in a scope: the first failure cancels the siblings, the scope waits for them, and the
/// root cause is what the caller sees.</summary>
internal sealed class FixedDashboard(LeakProbe probe)
{
    public Task<string> LoadAsync(TimeSpan requestDeadline) =>
        TaskScope.RunAsync(
            async (scope, _) =>
            {
                Task<string> profile = scope.Spawn(ct => FetchAsync("profile", TimeSpan.Zero, fails: true, ct));
                Task<string> feed = scope.Spawn(ct => FetchAsync("feed", TimeSpan.FromSeconds(30), fails: false, ct));
                Task<string> orders = scope.Spawn(ct => FetchAsync("orders", TimeSpan.FromMilliseconds(50), fails: true, ct));
                return string.Join(",", await profile, await feed, await orders);
            },
            new TaskScopeOptions { Name = "dashboard", Timeout = requestDeadline });

    private async ValueTask<string> FetchAsync(string backend, TimeSpan latency, bool fails, CancellationToken cancellationToken)
    {
        using (probe.Running())
        {
            await Task.Delay(latency, TimeProvider.System, cancellationToken);
            return fails ? throw new HttpRequestException($"{backend} backend failed") : backend;
        }
    }
}
