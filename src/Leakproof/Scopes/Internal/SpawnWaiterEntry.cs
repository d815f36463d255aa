using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace Leakproof.Scopes.Internal;

/// <summary>
/// A <c>SpawnAsync</c> caller waiting for a slot. It is its own awaitable: the thread that frees a slot starts the
/// child in the caller's context and then completes the caller's <see cref="ValueTask"/>, so waiting costs one object.
/// </summary>
/// <typeparam name="TResult">What the caller's wait returns: the started child's task.</typeparam>
internal abstract class SpawnWaiterEntry<TResult> : QueuedChildEntry, IValueTaskSource<TResult>
{
    /// <summary>The caller's completion. It is completed outside the scope's lock, so the caller may resume inline
    /// on the thread that freed the slot (a captured synchronization context is still honoured).</summary>
    private ManualResetValueTaskSourceCore<TResult> _core;

    protected SpawnWaiterEntry(TaskScope scope, string? name, string callerMemberName, string callerFilePath, int callerLineNumber)
        : base(scope, name, callerMemberName, callerFilePath, callerLineNumber)
    {
    }

    /// <inheritdoc/>
    public override bool IsAcceptedChild => false;

    /// <summary>Gets or sets the registration on the caller's token, removed once the wait ends either way.</summary>
    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>Gets the token version for the caller's <see cref="ValueTask"/>.</summary>
    public short Version => _core.Version;

    /// <summary>Ends the wait with cancellation; called once, by whoever took the entry out of the queue.</summary>
    /// <param name="cancellationToken">The caller's token.</param>
    public void Abandon(CancellationToken cancellationToken)
    {
        Registration.Unregister();
        _core.SetException(new OperationCanceledException(cancellationToken));
    }

    /// <inheritdoc/>
    public override void StartNow()
    {
        Registration.Unregister();
        TResult started;
        try
        {
            started = Start();
        }
        catch (Exception ex)
        {
            _core.SetException(ex);
            return;
        }

        _core.SetResult(started);
    }

    /// <inheritdoc/>
    public TResult GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>Runs the child's delegate and returns what the caller's wait yields.</summary>
    protected abstract TResult Start();
}
