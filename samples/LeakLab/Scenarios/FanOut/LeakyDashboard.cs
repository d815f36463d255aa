using LeakLab.Harness;

namespace LeakLab.Scenarios.FanOut;

/// <summary>
/// A dashboard fans out to three backends with Task.WhenAll under a request deadline. The profile call fails at
/// once, but WhenAll neither cancels the siblings nor returns early; the deadline then abandons all of them: the slow
/// call runs on, and when it ends, the failures are stored in a WhenAll task nobody will ever look at.
/// </summary>
internal sealed class LeakyDashboard(LeakProbe probe)
{
    public async Task<string> LoadAsync(TimeSpan requestDeadline)
    {
        Task<string> profile = FetchAsync("profile", TimeSpan.Zero, fails: true);
        Task<string> feed = FetchAsync("feed", TimeSpan.FromSeconds(30), fails: false);
        Task<string> orders = FetchAsync("orders", TimeSpan.FromMilliseconds(50), fails: true);
        string[] parts = await Task.WhenAll(profile, feed, orders).WaitAsync(requestDeadline);
        return string.Join(",", parts);
    }

    private async Task<string> FetchAsync(string backend, TimeSpan latency, bool fails)
    {
        using (probe.Running())
        {
            await Task.Delay(latency); // LEAK-SITE
            return fails ? throw new HttpRequestException($"{backend} backend failed") : backend;
        }
    }
}
