using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Helpers.Internal;

namespace Leakproof;

/// <content>Result handoffs: a caller may stop waiting for a worker without orphaning it.</content>
public sealed partial class TaskScope
{
    /// <summary>
    /// Starts a worker as a child of this scope and waits for its result with the caller's own token. If the caller
    /// gives up, it gets an <see cref="OperationCanceledException"/> at once, the worker is cancelled, and the scope
    /// still owns the worker: it waits for it and reports its failure.
    /// </summary>
    /// <typeparam name="TResult">The worker's result type.</typeparam>
    /// <param name="work">The worker; it receives its own token, linked to the scope's and cancelled when the caller gives
    /// up (the scope's token itself when <paramref name="cancellationToken"/> cannot be cancelled).</param>
    /// <param name="cancellationToken">The caller's token: cancelling it gives up waiting and cancels the worker.</param>
    /// <param name="name">An optional name for the census, metrics and traces.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the calling member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the calling source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the calling line.</param>
    /// <returns>The worker's result. If the worker fails, this task fails with the same exception, which the scope
    /// also reports.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the
    /// result was delivered (the task is cancelled; if the token was cancelled on entry the worker never starts).</exception>
    /// <remarks>
    /// <para>
    /// This is the fix for the OpenTelemetry <c>ForceFlush</c> leak, where a caller that gave up left its worker
    /// blocked forever on an unbuffered send. Here the worker can never block handing its result over: delivery is
    /// buffered. A result the worker still produces after its caller gave up is disposed if it is
    /// <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>. A worker that ends with an
    /// <see cref="OperationCanceledException"/> after its caller gave up is not a failure of the scope; any other
    /// failure is.
    /// </para>
    /// <para>
    /// The scope's concurrency limit applies: the worker may wait in the queue, and a caller can give up meanwhile.
    /// </para>
    /// </remarks>
    [SuppressMessage("Reliability", "CA1849:Call async methods when in an async method", Justification = "Spawn never blocks: with no free slot it queues the child. SpawnAsync would wait for a slot, which the helper must not do.")]
    public Task<TResult> HandoffAsync<TResult>(
        Func<CancellationToken, ValueTask<TResult>> work,
        CancellationToken cancellationToken = default,
        string? name = null,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(work);
        name ??= HelperConstants.HandoffWorkerName;
        if (!cancellationToken.CanBeCanceled)
        {
            // A caller that cannot give up needs no handoff: the child's own task carries the result.
            return Spawn(work, name, callerMemberName, callerFilePath, callerLineNumber);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var handoff = new Handoff<TResult>(work, CancellationToken, cancellationToken);
        handoff.Arm();
        try
        {
            Spawn(handoff.RunAsync, name, callerMemberName, callerFilePath, callerLineNumber);
        }
        catch
        {
            handoff.Release();
            throw;
        }

        return handoff.Task;
    }
}
