using LeakLab.Harness;

namespace LeakLab.Scenarios.Timeout;

/// <summary>A timeout with <c>WaitAsync(timeout)</c> (CA2027's own suggestion): the caller stops waiting, but the
/// query, which was never given a token, runs on with its timer.</summary>
internal sealed class LeakyReportService(LeakProbe probe)
{
    public Task<int> CountRowsAsync(TimeSpan timeout) => RunQueryAsync().WaitAsync(timeout);

    private async Task<int> RunQueryAsync()
    {
        using (probe.Running())
        {
            await Task.Delay(TimeSpan.FromSeconds(30)); // LEAK-SITE
            return 42;
        }
    }
}
