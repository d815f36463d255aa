using LeakLab.Harness;

namespace LeakLab.Scenarios.FanOut;

/// <summary>A Task.WhenAll fan-out that does not cancel its siblings when one fails.</summary>
internal sealed class FanOutScenario : IScenario
{
    public string Name => "fanout-whenall";

    public string Incident => "Task.WhenAll fan-out: one backend fails, nothing cancels the siblings, and they run on after the request failed";

    public Task RunLeakyAsync(LeakProbe probe) => CallAsync(new LeakyDashboard(probe).LoadAsync);

    public Task RunFixedAsync(LeakProbe probe) => CallAsync(new FixedDashboard(probe).LoadAsync);

    private static async Task CallAsync(Func<TimeSpan, Task<string>> load)
    {
        try
        {
            await load(TimeSpan.FromMilliseconds(20));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            // The request fails with 502 or 504; the server logs it.
        }
    }
}
