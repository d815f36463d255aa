using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Scopes.Internal;

namespace Leakproof;

/// <content>Spawning children: queued, back-pressured and non-blocking.</content>
public sealed partial class TaskScope
{
    /// <summary>
    /// Starts a child. If the scope has a concurrency limit and no slot is free, the child waits in a queue and its
    /// delegate runs once it holds a slot.
    /// </summary>
    /// <param name="work">The child's work; it receives the scope's token.</param>
    /// <param name="name">An optional name for the census, metrics and traces.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the spawning member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the spawning source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the spawning line.</param>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished.</exception>
    /// <remarks>Like Go's <c>go</c> statement, this returns nothing to await: the scope waits for the child and
    /// reports its failure. Use <see cref="Spawn{TResult}(Func{CancellationToken, ValueTask{TResult}}, string?, string, string, int)"/>
    /// when the caller needs the child's result.</remarks>
    public void Spawn(
        Func<CancellationToken, ValueTask> work,
        string? name = null,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (TryAdmitNew(name, callerMemberName, callerFilePath, callerLineNumber) is { } entry)
        {
            _ = StartChild(entry, work); // the scope watches the child; its task is not the caller's to await
            return;
        }

        Enqueue(new QueuedSpawnEntry(this, work, name, callerMemberName, callerFilePath, callerLineNumber));
    }

    /// <summary>
    /// Starts a child that returns a result. If the scope has a concurrency limit and no slot is free, the child
    /// waits in a queue and its delegate runs once it holds a slot.
    /// </summary>
    /// <typeparam name="TResult">The child's result type.</typeparam>
    /// <param name="work">The child's work; it receives the scope's token.</param>
    /// <param name="name">An optional name for the census, metrics and traces.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the spawning member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the spawning source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the spawning line.</param>
    /// <returns>A task with the child's result. Its failure is also reported by the scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished.</exception>
    public Task<TResult> Spawn<TResult>(
        Func<CancellationToken, ValueTask<TResult>> work,
        string? name = null,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (TryAdmitNew(name, callerMemberName, callerFilePath, callerLineNumber) is { } entry)
        {
            return StartChild(entry, work);
        }

        var queued = new QueuedSpawnEntry<TResult>(this, work, name, callerMemberName, callerFilePath, callerLineNumber);
        Enqueue(queued);
        return queued.Placeholder;
    }

    /// <summary>
    /// Waits until a slot is free, then starts a child (back-pressure). Completes synchronously when a slot is free
    /// or the scope has no limit.
    /// </summary>
    /// <param name="work">The child's work; it receives the scope's token.</param>
    /// <param name="name">An optional name for the census, metrics and traces.</param>
    /// <param name="cancellationToken">Cancels the wait for a slot (not the child once started).</param>
    /// <param name="callerMemberName">Filled in by the compiler: the spawning member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the spawning source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the spawning line.</param>
    /// <returns>A task that completes once the child has started (not when it finishes).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before a slot was free.</exception>
    /// <remarks>A child that waits here for a slot of its own scope can deadlock when every slot is held by such
    /// children; children should spawn siblings with <see cref="Spawn(Func{CancellationToken, ValueTask}, string?, string, string, int)"/>.</remarks>
    public ValueTask SpawnAsync(
        Func<CancellationToken, ValueTask> work,
        string? name = null,
        CancellationToken cancellationToken = default,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        if (TryAdmitNew(name, callerMemberName, callerFilePath, callerLineNumber) is { } entry)
        {
            _ = StartChild(entry, work);
            return default;
        }

        var waiter = new SpawnWaiter(this, work, name, callerMemberName, callerFilePath, callerLineNumber);
        EnqueueWaiter(waiter, cancellationToken);
        return new ValueTask(waiter, waiter.Version);
    }

    /// <summary>
    /// Waits until a slot is free, then starts a child that returns a result (back-pressure).
    /// </summary>
    /// <typeparam name="TResult">The child's result type.</typeparam>
    /// <param name="work">The child's work; it receives the scope's token.</param>
    /// <param name="name">An optional name for the census, metrics and traces.</param>
    /// <param name="cancellationToken">Cancels the wait for a slot (not the child once started).</param>
    /// <param name="callerMemberName">Filled in by the compiler: the spawning member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the spawning source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the spawning line.</param>
    /// <returns>The started child's task.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before a slot was free.</exception>
    public ValueTask<Task<TResult>> SpawnAsync<TResult>(
        Func<CancellationToken, ValueTask<TResult>> work,
        string? name = null,
        CancellationToken cancellationToken = default,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        if (TryAdmitNew(name, callerMemberName, callerFilePath, callerLineNumber) is { } entry)
        {
            return new ValueTask<Task<TResult>>(StartChild(entry, work));
        }

        var waiter = new SpawnWaiter<TResult>(this, work, name, callerMemberName, callerFilePath, callerLineNumber);
        EnqueueWaiter(waiter, cancellationToken);
        return new ValueTask<Task<TResult>>(waiter, waiter.Version);
    }

    /// <summary>Starts a child only if a slot is free now (errgroup's <c>TryGo</c>).</summary>
    /// <param name="work">The child's work; it receives the scope's token.</param>
    /// <param name="name">An optional name for the census, metrics and traces.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the spawning member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the spawning source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the spawning line.</param>
    /// <returns><see langword="true"/> if the child started; <see langword="false"/> if every slot was taken.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished.</exception>
    public bool TrySpawn(
        Func<CancellationToken, ValueTask> work,
        string? name = null,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (TryAdmitNew(name, callerMemberName, callerFilePath, callerLineNumber) is not { } entry)
        {
            return false;
        }

        _ = StartChild(entry, work);
        return true;
    }

    /// <summary>Starts a child that returns a result, only if a slot is free now.</summary>
    /// <typeparam name="TResult">The child's result type.</typeparam>
    /// <param name="work">The child's work; it receives the scope's token.</param>
    /// <param name="child">The started child's task, or <see langword="null"/> when no slot was free.</param>
    /// <param name="name">An optional name for the census, metrics and traces.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the spawning member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the spawning source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the spawning line.</param>
    /// <returns><see langword="true"/> if the child started; <see langword="false"/> if every slot was taken.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished.</exception>
    public bool TrySpawn<TResult>(
        Func<CancellationToken, ValueTask<TResult>> work,
        [NotNullWhen(true)] out Task<TResult>? child,
        string? name = null,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(work);
        child = TryAdmitNew(name, callerMemberName, callerFilePath, callerLineNumber) is { } entry ? StartChild(entry, work) : null;
        return child is not null;
    }
}
