namespace Corpus.Leak1001.Leaky;

public interface IAuditLog
{
    Task WriteAsync(string entry, CancellationToken cancellationToken = default);
}

public sealed class OrderController(IAuditLog audit, IEmailSender email)
{
    public async Task<int> PlaceOrderAsync(int orderId, CancellationToken cancellationToken)
    {
        _ = audit.WriteAsync($"order {orderId} placed"); // LEAK: LEAK1001
        _ = email.SendAsync(orderId, cancellationToken).ConfigureAwait(false); // LEAK: LEAK1001
        await Task.Yield();
        return orderId;
    }

    public void OnShipped(int orderId)
    {
        Task.Run(() => email.SendAsync(orderId, CancellationToken.None)); // LEAK: LEAK1001
    }

    public void OnCancelled(int orderId)
    {
        audit.WriteAsync($"order {orderId} cancelled").ContinueWith( // LEAK: LEAK1001
            t => Console.Error.WriteLine(t.Exception),
            TaskContinuationOptions.OnlyOnFaulted);
    }
}

public interface IEmailSender
{
    Task SendAsync(int orderId, CancellationToken cancellationToken);
}
