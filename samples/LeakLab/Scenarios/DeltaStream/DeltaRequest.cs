namespace LeakLab.Scenarios.DeltaStream;

/// <summary>A request on the stream; one of them is malformed.</summary>
internal sealed record DeltaRequest(int Version, bool Malformed)
{
    public static async IAsyncEnumerable<DeltaRequest> StreamAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int version = 1; version <= 1_000; version++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new DeltaRequest(version, Malformed: version == 3);
        }
    }

    public static void Process(DeltaRequest request)
    {
        if (request.Malformed)
        {
            throw new InvalidDataException($"delta request {request.Version} is malformed");
        }
    }
}
