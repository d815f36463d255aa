using LeakLab.Harness;

namespace LeakLab.Scenarios.ForceFlush;

/// <summary>
/// OpenTelemetry's BatchSpanProcessor.ForceFlush, as .NET code usually writes it: the export runs on its own and
/// hands its result back through a TaskCompletionSource; the caller waits with its own token.
/// </summary>
internal sealed class LeakyBatchExporter(LeakProbe probe)
{
    public async Task<bool> ForceFlushAsync(CancellationToken cancellationToken)
    {
        var exported = new TaskCompletionSource<bool>();
        _ = Task.Run(async () =>
        {
            using (probe.Running())
            {
                await ExportBatchAsync(); // the backend is slow and knows nothing of the caller's token (LEAK-SITE)
                exported.TrySetResult(true);
            }
        });

        // The caller gives up here; nothing tells the export, which runs on with nobody waiting for it.
        return await exported.Task.WaitAsync(cancellationToken);
    }

    private static Task ExportBatchAsync() => Task.Delay(TimeSpan.FromSeconds(30));
}
