using System;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Scopes.Internal;

/// <summary>A child with a result accepted by <c>Spawn</c> while the scope was full: the caller holds a placeholder
/// task that takes the real child's outcome once it has run.</summary>
/// <typeparam name="TResult">The child's result type.</typeparam>
internal sealed class QueuedSpawnEntry<TResult> : QueuedChildEntry
{
    /// <summary>The child's delegate.</summary>
    private readonly Func<CancellationToken, ValueTask<TResult>> _work;

    /// <summary>Completed with the real child's outcome.</summary>
    private readonly TaskCompletionSource<TResult> _placeholder = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public QueuedSpawnEntry(TaskScope scope, Func<CancellationToken, ValueTask<TResult>> work, string? name, string callerMemberName, string callerFilePath, int callerLineNumber)
        : base(scope, name, callerMemberName, callerFilePath, callerLineNumber) => _work = work;

    /// <summary>Gets the task handed to the caller of <c>Spawn</c>.</summary>
    public Task<TResult> Placeholder => _placeholder.Task;

    /// <inheritdoc/>
    public override bool IsAcceptedChild => true;

    /// <inheritdoc/>
    public override void StartNow()
    {
        Task<TResult> real = Scope.StartChild(this, _work);
        if (real.IsCompleted)
        {
            Forward();
        }
        else
        {
            real.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(Forward);
        }
    }

    private void Forward()
    {
        var real = (Task<TResult>)Task!;
        if (real.IsCompletedSuccessfully)
        {
            _placeholder.TrySetResult(real.Result);
        }
        else if (real.IsCanceled)
        {
            _placeholder.TrySetCanceled();
        }
        else
        {
            _placeholder.TrySetException(real.Exception!.InnerExceptions);

            // The scope reports the failure; a caller that never awaits the placeholder must not get a finalizer event.
            _ = _placeholder.Task.Exception;
        }
    }
}
