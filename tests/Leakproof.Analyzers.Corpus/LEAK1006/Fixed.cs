namespace Corpus.Leak1006.Fixed;

public sealed class ConnectionGate
{
    private readonly object _lock = new();
    private TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
                _opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
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
        var tcs = new TaskCompletionSource<string>();
        bool invalid;
        lock (_pending)
        {
            _pending[id] = tcs;
            invalid = id < 0;
        }

        if (invalid)
        {
            tcs.SetException(new ArgumentOutOfRangeException(nameof(id)));
        }

        return tcs.Task;
    }
}
