namespace Corpus.Leak1002.Leaky;

public sealed class RequestWaiter
{
    private readonly TaskCompletionSource<string> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<string> WaitForReplyAsync(CancellationToken cancellationToken)
    {
        cancellationToken.Register(() => _reply.TrySetCanceled(cancellationToken)); // LEAK: LEAK1002
        return await _reply.Task;
    }

    public async Task<string> WaitWithLocalAsync(CancellationToken cancellationToken)
    {
        var registration = cancellationToken.Register(static s => ((TaskCompletionSource<string>)s!).TrySetCanceled(), _reply); // LEAK: LEAK1002
        return await _reply.Task;
    }

    public bool TryWait(CancellationToken cancellationToken, bool alreadyDone)
    {
        var registration = cancellationToken.UnsafeRegister(_ => _reply.TrySetCanceled(), null); // LEAK: LEAK1002
        if (alreadyDone)
        {
            return true;
        }

        registration.Dispose();
        return false;
    }

    public void Forward(CancellationToken cancellationToken, CancellationTokenSource downstream)
    {
        _ = cancellationToken.Register(downstream.Cancel); // LEAK: LEAK1002
    }
}
