using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Scopes.Internal;

namespace Leakproof;

/// <content>Leaving the scope: waiting for every child and turning what happened into one outcome.</content>
public sealed partial class TaskScope
{
    /// <summary>
    /// Waits for every child, including children spawned while waiting, then reports the scope's outcome.
    /// </summary>
    /// <returns>A task that completes when the scope has finished.</returns>
    /// <exception cref="Exception">The only real failure of a child, rethrown as itself.</exception>
    /// <exception cref="AggregateException">Several children failed; the root cause is the first inner exception.</exception>
    /// <exception cref="TimeoutException">The scope's deadline passed before its children finished.</exception>
    /// <exception cref="OperationCanceledException">The token given at creation was cancelled.</exception>
    /// <remarks>There is no token parameter: giving up the wait would leave the children running, which is what a
    /// scope exists to prevent. To stop the children, call <see cref="Cancel"/> or cancel the creation token.</remarks>
    public Task WaitAsync()
    {
        bool finish;
        Task? outcome;
        lock (_lock)
        {
            AssertInvariants();
            _joining = true;
            _outcomeObserved = true;
            finish = TryFinishLocked();
            outcome = _outcomeTask;
            if (outcome is null && !finish)
            {
                // Completed inline by Finish, which never runs under the lock: waiting costs no extra hop.
                _completion ??= new TaskCompletionSource();
                outcome = _completion.Task;
            }
        }

        if (finish)
        {
            Finish();
            return _outcomeTask!;
        }

        return outcome!;
    }

    /// <summary>
    /// Waits for every child. If <see cref="WaitAsync"/> was not called, reports the scope's outcome as it would.
    /// </summary>
    /// <returns>A task that completes when the scope has finished.</returns>
    /// <exception cref="Exception">When <see cref="WaitAsync"/> was not called: see <see cref="WaitAsync"/>.</exception>
    public ValueTask DisposeAsync()
    {
        bool observed;
        lock (_lock)
        {
            observed = _outcomeObserved;
        }

        Task wait = WaitAsync();
        if (!observed)
        {
            return new ValueTask(wait);
        }

        // The outcome was already delivered by WaitAsync; here we only make sure the children are done.
        return wait.IsCompleted ? default : new ValueTask(wait.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
    }

    /// <summary>
    /// Creates a scope, runs <paramref name="body"/> in it, and waits for every child. An exception from the body
    /// counts as a failure: in fail-fast mode it cancels the children.
    /// </summary>
    /// <param name="body">The code that spawns the children; it receives the scope and its token.</param>
    /// <param name="options">The scope's options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token whose cancellation cancels the scope.</param>
    /// <returns>A task that completes when the body and every child have finished.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="Exception">See <see cref="WaitAsync"/> for the outcomes.</exception>
    public static async Task RunAsync(
        Func<TaskScope, CancellationToken, ValueTask> body,
        TaskScopeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        TaskScope scope = Create(options, cancellationToken);
        await using var disposeScope = scope.ConfigureAwait(false);
        scope.EnterBody();
        Exception? failure = null;
        try
        {
            await body(scope, scope.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        scope.ExitBody(failure);
        await scope.WaitAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a scope, runs <paramref name="body"/> in it, waits for every child, and returns the body's result
    /// if the scope succeeded.
    /// </summary>
    /// <typeparam name="TResult">The body's result type.</typeparam>
    /// <param name="body">The code that spawns the children and computes the result.</param>
    /// <param name="options">The scope's options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token whose cancellation cancels the scope.</param>
    /// <returns>The body's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="Exception">See <see cref="WaitAsync"/> for the outcomes.</exception>
    public static async Task<TResult> RunAsync<TResult>(
        Func<TaskScope, CancellationToken, ValueTask<TResult>> body,
        TaskScopeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        TaskScope scope = Create(options, cancellationToken);
        await using var disposeScope = scope.ConfigureAwait(false);
        scope.EnterBody();
        TResult? result = default;
        Exception? failure = null;
        try
        {
            result = await body(scope, scope.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        scope.ExitBody(failure);
        await scope.WaitAsync().ConfigureAwait(false);
        return result!;
    }

    /// <summary>Counts a body as pending work and makes this scope the parent of scopes its body creates.</summary>
    /// <remarks>Called from the body's async method, so the <see cref="AsyncLocal{T}"/> change ends with it.</remarks>
    private void EnterBody()
    {
        lock (_lock)
        {
            AssertInvariants();
            _bodies++;
        }

        s_current.Value = this;
    }

    /// <summary>Records the body's exception as a failure and releases its hold on the scope.</summary>
    private void ExitBody(Exception? exception)
    {
        System.Collections.Generic.List<Exception>? failures = exception is null ? null : FilterFailures([exception]);
        bool cancel;
        bool finish;
        lock (_lock)
        {
            AssertInvariants();
            _bodies--;
            cancel = RecordFailuresLocked(failures);
            finish = TryFinishLocked();
        }

        if (cancel)
        {
            CancelTokenSource();
        }

        if (finish)
        {
            Finish();
        }
    }

    /// <summary>Marks the scope finished when someone waits and no work is pending.</summary>
    /// <returns><see langword="true"/> if the caller must call <see cref="Finish"/> after leaving the lock.</returns>
    private bool TryFinishLocked()
    {
        if (_finished || !_joining || _running != 0 || _queuedSpawns != 0 || _bodies != 0)
        {
            return false;
        }

        _finished = true;
        return true;
    }

    /// <summary>Releases the scope's timer and registrations, fixes the outcome, and wakes the waiters.</summary>
    private void Finish()
    {
        Debug.Assert(_finished, "Finish runs once, after the scope was marked finished.");
        ScopeRegistry.Unregister(this);

        // Dispose waits for an external-cancellation callback already running, so the reason is final after it.
        _externalRegistration.Dispose();
        _deadlineTimer?.Dispose();

        Exception? outcome = BuildOutcome();

        // Like errgroup, the token is cancelled once the scope is done, so anything that kept it sees the end.
        CancelTokenSource();
        _cts.Dispose();

        if (_activity is not null)
        {
            _activity.SetStatus(outcome is null ? ActivityStatusCode.Ok : ActivityStatusCode.Error, outcome?.GetType().Name);
            _activity.Dispose();
        }

        TaskCompletionSource? completion;
        lock (_lock)
        {
            // Waiters and later callers share one task, so a failure observed by any of them is observed.
            completion = _completion;
            _outcomeTask = completion?.Task ?? (outcome is null ? Task.CompletedTask : Task.FromException(outcome));
        }

        if (completion is not null)
        {
            // The waiters' continuations run here, inline: no lock is held.
            _ = outcome is null ? completion.TrySetResult() : completion.TrySetException(outcome);
        }
    }

    private Exception? BuildOutcome()
    {
        lock (_lock)
        {
            if (_failures is { Count: 1 })
            {
                return _failures[0];
            }

            if (_failures is { Count: > 1 })
            {
                return new AggregateException(
                    $"{_failures.Count} failures in the task scope '{Name}'; the first is the root cause.",
                    _failures);
            }

            return _cancelReason switch
            {
                CancelReason.Deadline => new TimeoutException(
                    $"The task scope '{Name}' did not finish within its deadline of {_timeout} (started at {StartTime:O}); its children were cancelled."),
                CancelReason.External => new OperationCanceledException(
                    $"The task scope '{Name}' was cancelled by the token it was created with.", _externalToken),
                _ => null,
            };
        }
    }
}
