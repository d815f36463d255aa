using LeakLab.Harness;
using Leakproof;

namespace LeakLab.Scenarios.Timeout;

/// <summary>The same timeout that cancels the query and waits for it to stop before reporting the timeout.</summary>
internal sealed class FixedReportService(LeakProbe probe)
{
    public Task<int> CountRowsAsync(TimeSpan timeout) => TaskScope.WithTimeoutAsync(RunQueryAsync, timeout);

    private async ValueTask<int> RunQueryAsync(CancellationToken cancellationToken)
    {
        using (probe.Running())
        {
            await Task.Delay(TimeSpan.FromSeconds(30), TimeProvider.System, cancellationToken);
            return 42;
        }
    }
}
