using LeakLab.Harness;
using Leakproof;

namespace LeakLab.Scenarios.ForceFlush;

/// <summary>The same exporter on Leakproof: the export is a child of the exporter's scope, handed off so the caller
/// may give up, and cancelled when it does; disposing the exporter waits for anything still exporting.</summary>
internal sealed class FixedBatchExporter(LeakProbe probe) : IAsyncDisposable
{
    private readonly TaskScope _exports = TaskScope.Create(new TaskScopeOptions { Name = "exporter", FailureMode = TaskScopeFailureMode.Supervise });

    public Task<bool> ForceFlushAsync(CancellationToken cancellationToken) =>
        _exports.HandoffAsync(
            async token =>
            {
                using (probe.Running())
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), TimeProvider.System, token);
                    return true;
                }
            },
            cancellationToken,
            name: "export-batch");

    public async ValueTask DisposeAsync()
    {
        _exports.Cancel();
        await _exports.DisposeAsync();
    }
}
