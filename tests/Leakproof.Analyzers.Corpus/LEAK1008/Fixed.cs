namespace Corpus.Leak1008.Fixed;

public sealed class ReconnectingClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WaitConnectedAsync() => _connected.Task;

    public void OnConnected() => _connected.TrySetResult();

    public void OnDisconnected() => _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        _connected.TrySetCanceled();
        await _stopping.CancelAsync();
        _stopping.Dispose();
    }
}

public class RequestBatcher : IDisposable
{
    private readonly TaskCompletionSource<IReadOnlyList<string>> _flushed = new();
    private readonly List<string> _items = new();
    private readonly Timer _timer;

    public RequestBatcher() => _timer = new Timer(_ => Flush(), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

    public Task<IReadOnlyList<string>> AddAsync(string item)
    {
        lock (_items)
        {
            _items.Add(item);
        }

        return _flushed.Task;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timer.Dispose();
            FailPending(new ObjectDisposedException(nameof(RequestBatcher)));
        }
    }

    private void FailPending(Exception error) => _flushed.TrySetException(error);

    private void Flush()
    {
        string[] batch;
        lock (_items)
        {
            batch = _items.ToArray();
        }

        _flushed.TrySetResult(batch);
    }
}

public sealed class LeaseHolder : IDisposable, IAsyncDisposable
{
    private readonly TaskCompletionSource<bool> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    public Task<bool> Lost => _lost.Task;

    public Task Released => _released.Task;

    public void OnLeaseExpired() => _lost.TrySetResult(true);

    public void Release()
    {
        _released.TrySetResult();
    }

    public void Dispose()
    {
        _disposed = true;
        _lost.TrySetResult(false);
        _released.TrySetCanceled();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => _disposed ? "disposed" : "held";
}
