using Leakproof;

namespace Snippets.Docs;

/// <summary>docs/helpers.md.</summary>
internal static class HelpersUsage
{
    public static async Task<Response> RaceAsync(IReadOnlyList<Replica> replicas, CancellationToken cancellationToken)
    {
        // begin-snippet: race
        // Ask every replica; the first answer wins. When this returns, the other queries have ended.
        Response response = await TaskScope.RaceAsync(
            replicas,
            static (replica, ct) => replica.QueryAsync(ct),
            cancellationToken: cancellationToken);
        // end-snippet
        return response;
    }

    public static async Task<Report> WithTimeoutAsync(
        Exporter exporter, Batch batch, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        // begin-snippet: timeout
        // At the deadline the token is cancelled; the TimeoutException comes once the work has ended.
        Report report = await TaskScope.WithTimeoutAsync(
            ct => exporter.ExportAsync(batch, ct), TimeSpan.FromSeconds(5), timeProvider, cancellationToken);
        // end-snippet
        return report;
    }

    public static async Task HandoffAsync(Exporter exporter, CancellationToken callerToken)
    {
        // begin-snippet: handoff
        await TaskScope.RunAsync(async (scope, _) =>
        {
            // The caller waits with its own token; if it gives up it gets an OperationCanceledException at once,
            // the export is cancelled, and the scope still waits for it and reports its failure.
            int exported = await scope.HandoffAsync(ct => exporter.ForceFlushAsync(ct), callerToken);
        });
        // end-snippet
    }

    public static async Task PipelineAsync(RequestStream stream)
    {
        // begin-snippet: channel-pipeline
        await TaskScope.RunAsync((scope, _) =>
        {
            ScopedChannel<Request> requests = scope.CreateChannel<Request>();
            scope.SpawnProducer(requests, async (writer, ct) =>
            {
                while (await stream.ReceiveAsync(ct) is { } request)
                {
                    await writer.WriteAsync(request, ct);
                }
            });
            scope.SpawnConsumer(requests, async (reader, ct) =>
            {
                await foreach (Request request in reader.ReadAllAsync(ct))
                {
                    await ProcessAsync(request, ct); // if this throws, the receiver's pending write fails fast
                }
            });
            return default;
        });
        // end-snippet
    }

    private static ValueTask ProcessAsync(Request request, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled(cancellationToken) : ValueTask.CompletedTask;

    internal sealed record Response(string Body);

    internal sealed record Report(int Exported);

    internal sealed record Batch(IReadOnlyList<string> Items);

    internal sealed record Request(string Path);

    internal abstract class Replica
    {
        public abstract ValueTask<Response> QueryAsync(CancellationToken cancellationToken);
    }

    internal abstract class Exporter
    {
        public abstract ValueTask<Report> ExportAsync(Batch batch, CancellationToken cancellationToken);

        public abstract ValueTask<int> ForceFlushAsync(CancellationToken cancellationToken);
    }

    internal abstract class RequestStream
    {
        public abstract ValueTask<Request?> ReceiveAsync(CancellationToken cancellationToken);
    }
}
