using LeakLab.Harness;

namespace LeakLab.Scenarios.DeltaStream;

/// <summary>Seed 002: a producer blocked forever on a channel whose consumer died.</summary>
internal sealed class DeltaStreamScenario : IScenario
{
    public string Name => "delta-stream";

    public string Incident => "go-control-plane DeltaStreamHandler: the processor fails, the receiver blocks forever sending to it";

    public async Task RunLeakyAsync(LeakProbe probe)
    {
        try
        {
            await new LeakyStreamHandler(probe).HandleAsync(DeltaRequest.StreamAsync());
        }
        catch (InvalidDataException)
        {
            // Logged by the server; the stream handler is done.
        }
    }

    public async Task RunFixedAsync(LeakProbe probe)
    {
        try
        {
            await new FixedStreamHandler(probe).HandleAsync(DeltaRequest.StreamAsync);
        }
        catch (InvalidDataException)
        {
        }
    }
}
