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
        var entry = new ChildEntry(this, name, callerMemberName, callerFilePath, callerLineNumber);
        if (AdmitOrQueue(entry, () => new QueuedChildStart<bool>(ct => AsResult(work, ct), ExecutionContext.Capture())))
        {
            StartChild(entry, work);
        }
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
        var entry = new ChildEntry(this, name, callerMemberName, callerFilePath, callerLineNumber);
        if (AdmitOrQueue(entry, () => new QueuedChildStart<TResult>(work, ExecutionContext.Capture())))
        {
            return StartChild(entry, work);
        }

        return ((QueuedChildStart<TResult>)entry.QueuedStart!).TypedPlaceholder;
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
        var entry = new ChildEntry(this, name, callerMemberName, callerFilePath, callerLineNumber);
        if (AdmitOrWait(entry))
        {
            StartChild(entry, work);
            return default;
        }

        return WaitForSlotThenStartAsync(entry, work, cancellationToken);
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
        var entry = new ChildEntry(this, name, callerMemberName, callerFilePath, callerLineNumber);
        if (AdmitOrWait(entry))
        {
            return new ValueTask<Task<TResult>>(StartChild(entry, work));
        }

        return WaitForSlotThenStartAsync(entry, work, cancellationToken);
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
        var entry = new ChildEntry(this, name, callerMemberName, callerFilePath, callerLineNumber);
        if (!TryAdmit(entry))
        {
            return false;
        }

        StartChild(entry, work);
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
        var entry = new ChildEntry(this, name, callerMemberName, callerFilePath, callerLineNumber);
        child = TryAdmit(entry) ? StartChild(entry, work) : null;
        return child is not null;
    }

    private static async ValueTask<bool> AsResult(Func<CancellationToken, ValueTask> work, CancellationToken cancellationToken)
    {
        await work(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async ValueTask WaitForSlotThenStartAsync(ChildEntry entry, Func<CancellationToken, ValueTask> work, CancellationToken cancellationToken)
    {
        await WaitForSlotAsync(entry, cancellationToken).ConfigureAwait(false);
        _ = StartChild(entry, work); // The scope watches the child; its task is not the caller's to await.
    }

    private async ValueTask<Task<TResult>> WaitForSlotThenStartAsync<TResult>(ChildEntry entry, Func<CancellationToken, ValueTask<TResult>> work, CancellationToken cancellationToken)
    {
        await WaitForSlotAsync(entry, cancellationToken).ConfigureAwait(false);
        return StartChild(entry, work);
    }

    private static async Task WaitForSlotAsync(ChildEntry entry, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(
            static (state, token) => ((ChildEntry)state!).Scope.AbandonSlotWait((ChildEntry)state!, token),
            entry))
        {
            await entry.SlotGranted!.Task.ConfigureAwait(false);
        }
    }
}
