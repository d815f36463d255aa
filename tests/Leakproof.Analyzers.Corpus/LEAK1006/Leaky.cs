namespace Corpus.Leak1006.Leaky;

public sealed class ConnectionGate
{
    private readonly object _lock = new();
    private TaskCompletionSource _opened = new(); // LEAK: LEAK1006
    private bool _isOpen;

    public Task WaitOpenAsync() => _opened.Task;

    public void Open()
    {
        lock (_lock)
        {
            _isOpen = true;
            _opened.TrySetResult();
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            if (_isOpen)
            {
                _opened = new TaskCompletionSource(); // LEAK: LEAK1006
                _isOpen = false;
            }
        }
    }
}

public sealed class ReplyTable
{
    private readonly Dictionary<int, TaskCompletionSource<string>> _pending = new();

    public Task<string> Expect(int id)
    {
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.None); // LEAK: LEAK1006
        lock (_pending)
        {
            _pending[id] = tcs;
            if (id < 0)
            {
                tcs.SetException(new ArgumentOutOfRangeException(nameof(id)));
            }
        }

        return tcs.Task;
    }
}
