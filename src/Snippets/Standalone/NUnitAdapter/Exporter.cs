// The code under test in the example: an exporter that flushes.
public sealed class Exporter : IAsyncDisposable
{
    public Task FlushAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
