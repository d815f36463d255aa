using LeakLab.Harness;

namespace LeakLab.Scenarios.Timeout;

/// <summary>Timeouts by WaitAsync that abandon the work instead of cancelling it.</summary>
internal sealed class TimeoutScenario : IScenario
{
    public string Name => "timeout-waitasync";

    public string Incident => "WaitAsync(timeout): the caller times out, the query it abandoned keeps running";

    public Task RunLeakyAsync(LeakProbe probe) => CallAsync(new LeakyReportService(probe).CountRowsAsync);

    public Task RunFixedAsync(LeakProbe probe) => CallAsync(new FixedReportService(probe).CountRowsAsync);

    private static async Task CallAsync(Func<TimeSpan, Task<int>> count)
    {
        try
        {
            await count(TimeSpan.FromMilliseconds(20));
        }
        catch (TimeoutException)
        {
            // 504 to the client.
        }
    }
}
