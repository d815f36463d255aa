using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Helpers.Internal;

namespace Leakproof;

/// <content>Timeouts that cancel the work and wait for it, instead of abandoning it.</content>
public sealed partial class TaskScope
{
    /// <summary>
    /// Runs <paramref name="work"/> with a deadline. At the deadline the work is cancelled and awaited; only when it
    /// has ended does the returned task fail with a <see cref="TimeoutException"/>.
    /// </summary>
    /// <param name="work">The work; it receives a token cancelled at the deadline or by <paramref name="cancellationToken"/>.</param>
    /// <param name="timeout">How long the work may run: positive, or <see cref="Timeout.InfiniteTimeSpan"/> for no deadline.</param>
    /// <param name="timeProvider">The clock for the deadline, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">A token whose cancellation cancels the work and ends the call in an
    /// <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the work has ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero or negative (other than
    /// <see cref="Timeout.InfiniteTimeSpan"/>), or too large for <paramref name="timeProvider"/>.</exception>
    /// <exception cref="TimeoutException">The deadline passed before the work ended; the message names the timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Exception">The work failed; a real failure wins over the deadline.</exception>
    /// <remarks>
    /// Unlike <see cref="Task.WaitAsync(TimeSpan)"/>, which abandons the work at the deadline and leaves it running,
    /// this method returns only after the work has ended, so work that ignores its token delays the
    /// <see cref="TimeoutException"/> rather than leaking. The work runs as the only child of a scope named
    /// <c>timeout</c>.
    /// </remarks>
    [SuppressMessage("Reliability", "CA1849:Call async methods when in an async method", Justification = "Spawn never blocks: with no free slot it queues the child. SpawnAsync would wait for a slot, which the helper must not do.")]
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "WaitAsync, awaited through the returned task, does everything DisposeAsync does.")]
    public static Task WithTimeoutAsync(
        Func<CancellationToken, ValueTask> work,
        TimeSpan timeout,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        TaskScope scope = CreateTimeoutScope(timeout, timeProvider, cancellationToken);
        scope.Spawn(work, HelperConstants.TimeoutWorkName);
        return scope.WaitAsync();
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a deadline and returns its result. At the deadline the work is cancelled and
    /// awaited; only when it has ended does the returned task fail with a <see cref="TimeoutException"/>.
    /// </summary>
    /// <typeparam name="TResult">The work's result type.</typeparam>
    /// <param name="work">The work; it receives a token cancelled at the deadline or by <paramref name="cancellationToken"/>.</param>
    /// <param name="timeout">How long the work may run: positive, or <see cref="Timeout.InfiniteTimeSpan"/> for no deadline.</param>
    /// <param name="timeProvider">The clock for the deadline, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="cancellationToken">A token whose cancellation cancels the work and ends the call in an
    /// <see cref="OperationCanceledException"/>.</param>
    /// <returns>The work's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero or negative (other than
    /// <see cref="Timeout.InfiniteTimeSpan"/>), or too large for <paramref name="timeProvider"/>.</exception>
    /// <exception cref="TimeoutException">The deadline passed before the work ended; the message names the timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Exception">The work failed; a real failure wins over the deadline.</exception>
    /// <remarks>
    /// A result the work produces after the deadline (it ignored its token) is not returned: the call still fails
    /// with a <see cref="TimeoutException"/>, and the result is disposed if it is <see cref="IAsyncDisposable"/> or
    /// <see cref="IDisposable"/>. The same holds after external cancellation.
    /// </remarks>
    [SuppressMessage("Reliability", "CA1849:Call async methods when in an async method", Justification = "Spawn never blocks: with no free slot it queues the child. SpawnAsync would wait for a slot, which the helper must not do.")]
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "WaitAsync, awaited through the returned task, does everything DisposeAsync does.")]
    public static Task<TResult> WithTimeoutAsync<TResult>(
        Func<CancellationToken, ValueTask<TResult>> work,
        TimeSpan timeout,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        TaskScope scope = CreateTimeoutScope(timeout, timeProvider, cancellationToken);
        Task<TResult> child = scope.Spawn(work, HelperConstants.TimeoutWorkName);
        return WaitForTimedResultAsync(scope, child);
    }

    private static TaskScope CreateTimeoutScope(TimeSpan timeout, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(
                nameof(timeout), timeout, "The timeout must be positive, or Timeout.InfiniteTimeSpan for no deadline.");
        }

        var options = new TaskScopeOptions
        {
            Name = HelperConstants.TimeoutScopeName,
            Timeout = timeout,
            TimeProvider = timeProvider ?? TimeProvider.System,
        };
        return Create(options, cancellationToken);
    }

    private static async Task<TResult> WaitForTimedResultAsync<TResult>(TaskScope scope, Task<TResult> child)
    {
        try
        {
            await scope.WaitAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The deadline or the external token ended the scope, yet the work returned a result: nobody receives it.
            if (child.IsCompletedSuccessfully)
            {
                await ResultDisposal.DisposeOrphanAsync(await child.ConfigureAwait(false)).ConfigureAwait(false);
            }

            throw;
        }

        // The scope succeeded, so its only child did.
        return await child.ConfigureAwait(false);
    }
}
