namespace Corpus.Leak1002.Fixed;

public sealed class RequestWaiter : IDisposable
{
    private readonly TaskCompletionSource<string> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _forward;

    public async Task<string> WaitForReplyAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => _reply.TrySetCanceled(cancellationToken));
        return await _reply.Task;
    }

    public async Task<string> WaitWithLocalAsync(CancellationToken cancellationToken)
    {
        var registration = cancellationToken.Register(static s => ((TaskCompletionSource<string>)s!).TrySetCanceled(), _reply);
        try
        {
            return await _reply.Task;
        }
        finally
        {
            await registration.DisposeAsync();
        }
    }

    public bool TryWait(CancellationToken cancellationToken, bool alreadyDone)
    {
        var registration = cancellationToken.UnsafeRegister(_ => _reply.TrySetCanceled(), null);
        if (alreadyDone)
        {
            registration.Dispose();
            return true;
        }

        registration.Dispose();
        return false;
    }

    public void Forward(CancellationToken cancellationToken, CancellationTokenSource downstream)
    {
        _forward.Dispose();
        _forward = cancellationToken.Register(downstream.Cancel);
    }

    public void ForwardScoped(CancellationTokenSource downstream)
    {
        using var local = new CancellationTokenSource();
        local.Token.Register(downstream.Cancel);
    }

    public void Dispose()
    {
        _forward.Dispose();
        _reply.TrySetCanceled(); // waiters must not outlive the waiter (LEAK1008)
    }
}
