using LeakLab.Harness;
using Leakproof;

namespace LeakLab.Scenarios.DeltaStream;

/// <summary>The same handler as a scope pipeline: the processor's exit closes the channel from the reader side, so
/// the receiver's pending write fails fast, and the scope waits for both before the error surfaces.</summary>
internal sealed class FixedStreamHandler(LeakProbe probe)
{
    public Task HandleAsync(Func<CancellationToken, IAsyncEnumerable<DeltaRequest>> stream) =>
        TaskScope.RunAsync(
            (scope, _) =>
            {
                ScopedChannel<DeltaRequest> requests = scope.CreateChannel<DeltaRequest>(new ScopedChannelOptions { Capacity = 1 });
                scope.SpawnProducer(requests, async (writer, token) =>
                {
                    using (probe.Running())
                    {
                        await foreach (DeltaRequest request in stream(token))
                        {
                            await probe.WriteAsync(writer, request, token);
                        }
                    }
                });
                scope.SpawnConsumer(requests, async (reader, token) =>
                {
                    await foreach (DeltaRequest request in reader.ReadAllAsync(token))
                    {
                        DeltaRequest.Process(request);
                    }
                });
                return ValueTask.CompletedTask;
            },
            new TaskScopeOptions { Name = "delta-stream" });
}
