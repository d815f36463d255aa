using System.Threading.Channels;
using LeakLab.Harness;

namespace LeakLab.Scenarios.DeltaStream;

/// <summary>
/// go-control-plane's DeltaStreamHandler in C#: a receiver feeds a bounded channel, a processor drains it. When the
/// processor fails it returns, nobody completes or drains the channel, and the receiver hangs in WriteAsync forever.
/// </summary>
internal sealed class LeakyStreamHandler(LeakProbe probe)
{
    public async Task HandleAsync(IAsyncEnumerable<DeltaRequest> stream)
    {
        var requests = Channel.CreateBounded<DeltaRequest>(1);
        _ = Task.Run(async () =>
        {
            using (probe.Running())
            {
                await foreach (DeltaRequest request in stream)
                {
                    await probe.WriteAsync(requests.Writer, request); // blocks forever once the processor is gone (LEAK-SITE)
                }

                requests.Writer.Complete();
            }
        });

        await foreach (DeltaRequest request in requests.Reader.ReadAllAsync())
        {
            DeltaRequest.Process(request); // throws on a malformed request: the handler returns with the error
        }
    }
}
