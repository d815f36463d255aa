using Leakproof;

namespace Corpus.Leak1001.Fixed;

public interface IAuditLog
{
    Task WriteAsync(string entry, CancellationToken cancellationToken = default);
}

public sealed class OrderController(IAuditLog audit, IEmailSender email)
{
    private Task _lastNotification = Task.CompletedTask;

    public async Task<int> PlaceOrderAsync(int orderId, CancellationToken cancellationToken)
    {
        await audit.WriteAsync($"order {orderId} placed", cancellationToken);
        await email.SendAsync(orderId, cancellationToken).ConfigureAwait(false);
        return orderId;
    }

    public Task OnShippedAsync(int orderId, CancellationToken cancellationToken) =>
        TaskScope.RunAsync(async (scope, ct) =>
        {
            scope.Spawn(async t => await email.SendAsync(orderId, t));
            _ = scope.Spawn(async t => { await audit.WriteAsync("shipped", t); return 0; });
            await Task.Yield();
        }, cancellationToken: cancellationToken);

    public void OnCancelled(int orderId)
    {
        _lastNotification = audit.WriteAsync($"order {orderId} cancelled");
    }

    public Task FlushAsync() => _lastNotification;

    public Task<int> CachedCountAsync() => Task.FromResult(0);
}

public interface IEmailSender
{
    Task SendAsync(int orderId, CancellationToken cancellationToken);
}
