using System;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Scopes.Internal;

/// <summary>A deferred child start whose delegate returns a result.</summary>
/// <typeparam name="TResult">The child's result type.</typeparam>
internal sealed class QueuedChildStart<TResult> : QueuedChildStart
{
    /// <summary>The child's delegate.</summary>
    private readonly Func<CancellationToken, ValueTask<TResult>> _work;

    /// <summary>Completes the placeholder with the real child's outcome.</summary>
    private readonly TaskCompletionSource<TResult> _placeholder = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public QueuedChildStart(Func<CancellationToken, ValueTask<TResult>> work, ExecutionContext? context)
        : base(context) => _work = work;

    /// <summary>Gets the typed placeholder.</summary>
    public Task<TResult> TypedPlaceholder => _placeholder.Task;

    /// <inheritdoc/>
    public override Task Placeholder => _placeholder.Task;

    /// <inheritdoc/>
    public override void Start(TaskScope scope, ChildEntry entry)
    {
        Task<TResult> real = scope.StartChild(entry, _work);
        _ = ForwardAsync(real);
    }

    private async Task ForwardAsync(Task<TResult> real)
    {
        try
        {
            TResult result = await real.ConfigureAwait(false);
            _placeholder.TrySetResult(result);
        }
        catch (OperationCanceledException ex)
        {
            _placeholder.TrySetCanceled(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            _placeholder.TrySetException(ex);
            MarkObserved(_placeholder.Task);
        }
    }
}
