using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Leakproof.Channels.Internal;

namespace Leakproof;

/// <summary>
/// Represents a bounded channel owned by a <see cref="TaskScope"/> that can also be closed from the reader side, so a
/// producer can never stay blocked on a consumer that is gone.
/// </summary>
/// <typeparam name="T">The type of the items.</typeparam>
/// <remarks>
/// <para>
/// Create it with <see cref="TaskScopeChannelExtensions.CreateChannel{T}(TaskScope, ScopedChannelOptions?)"/> and
/// run its producers and consumers with <c>SpawnProducer</c>, <c>SpawnConsumer</c> and <c>SpawnStage</c>: the
/// writer is completed when the last producer exits (with the failure, if one failed), and the channel is closed when
/// a consumer fails or the last consumer exits.
/// </para>
/// <para>
/// <see cref="Close"/> is what <see cref="System.Threading.Channels"/> lacks: it completes the channel so that
/// producers blocked in <see cref="ChannelWriter{T}.WriteAsync(T, CancellationToken)"/> and later writes fail fast,
/// and disposes the items nobody will read. The channel closes itself when its scope's token is cancelled (on a
/// fail-fast failure, a deadline, external cancellation, <see cref="TaskScope.Cancel"/>, or when the scope finishes),
/// so nothing blocked on it outlives the scope. All members are thread-safe.
/// </para>
/// </remarks>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
public sealed partial class ScopedChannel<T>
{
    /// <summary>The channel that carries the items.</summary>
    private readonly Channel<T> _channel;

    /// <summary>Guards the mutable fields below; never held while user code or channel operations run.</summary>
    private readonly Lock _lock = new();

    /// <summary>Disposes drained and dropped items and tracks the disposals still running.</summary>
    private readonly UndeliveredItems _undelivered = new();

    /// <summary>The source behind <see cref="Completion"/>.</summary>
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Registration on the scope's token that closes the channel; disposed by the close.</summary>
    private CancellationTokenRegistration _scopeRegistration;

    /// <summary>Producers spawned with the helpers that have not exited.</summary>
    private int _producers;

    /// <summary>Consumers spawned with the helpers that have not exited.</summary>
    private int _consumers;

    /// <summary>Set when the last producer exited and completed the writer; no producer may join after.</summary>
    private bool _producersDone;

    /// <summary>The first failure of a producer; the writer is completed with it.</summary>
    private Exception? _producerFailure;

    /// <summary>Set once, by the first <see cref="Close"/>.</summary>
    private bool _closed;

    /// <summary>The error the channel was closed with, if any.</summary>
    private Exception? _closeError;

    internal ScopedChannel(TaskScope scope, ScopedChannelOptions options)
    {
        var bounded = new BoundedChannelOptions(options.Capacity)
        {
            FullMode = options.FullMode,
            SingleReader = options.SingleReader,
            SingleWriter = options.SingleWriter,

            // Continuations of blocked readers and writers must not run inside our close or a producer's write.
            AllowSynchronousContinuations = false,
        };
        _channel = options.FullMode == BoundedChannelFullMode.Wait
            ? Channel.CreateBounded<T>(bounded)
            : Channel.CreateBounded<T>(bounded, _undelivered.Dispose);
#pragma warning disable LEAK1001 // TrackCompletionAsync catches everything and reports through Completion; the channel owns it.
        _ = TrackCompletionAsync(); // ends when the channel does; never throws
#pragma warning restore LEAK1001
        _scopeRegistration = scope.CancellationToken.UnsafeRegister(
            static (state, token) => ((ScopedChannel<T>)state!).CloseCore(
                new OperationCanceledException("The channel was closed because its task scope was cancelled or finished.", token)),
            this);
    }

    /// <summary>Gets the reader side.</summary>
    public ChannelReader<T> Reader => _channel.Reader;

    /// <summary>Gets the writer side.</summary>
    public ChannelWriter<T> Writer => _channel.Writer;

    /// <summary>Gets a value indicating whether the channel was closed from the reader side (by <see cref="Close"/>, a
    /// consumer's exit, or its scope's cancellation).</summary>
    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>
    /// Gets a task that completes when the channel can carry no more items (its writer was completed and every item
    /// was read, or it was closed) and every undelivered item has been disposed.
    /// </summary>
    /// <remarks>
    /// Like <see cref="ChannelReader{T}.Completion"/>, the task fails with the error the channel was completed or
    /// closed with (it is cancelled for an <see cref="OperationCanceledException"/>); that error is already reported
    /// by whoever raised it, so the task does not count as unobserved. If disposing an undelivered item failed, the
    /// task fails with an <see cref="AggregateException"/> of those failures instead, and is not marked observed.
    /// </remarks>
    public Task Completion => _completion.Task;

    /// <summary>Gets the text the debugger shows; reads fields without the lock so it never blocks the debugger.</summary>
    private string DebuggerDisplay =>
        $"ScopedChannel<{typeof(T).Name}>: {Volatile.Read(ref _producers)} producers, {Volatile.Read(ref _consumers)} consumers, " +
        (Volatile.Read(ref _closed) ? "closed" : Volatile.Read(ref _producersDone) ? "writer completed" : "open");

    /// <summary>
    /// Closes the channel from the reader side: producers blocked writing and every later write fail fast with a
    /// <see cref="ChannelClosedException"/>, readers see the channel end, and items nobody will read are removed and
    /// disposed if they are <see cref="IDisposable"/> or <see cref="IAsyncDisposable"/>.
    /// </summary>
    /// <param name="error">The reason, or <see langword="null"/>. It becomes the inner exception of the writers'
    /// <see cref="ChannelClosedException"/>; an <see cref="OperationCanceledException"/> is passed to them as is, as
    /// <see cref="ChannelWriter{T}.TryComplete(Exception?)"/> does.</param>
    /// <remarks>Calling it again, or after the writer was completed, only drains what is left. Items a reader already
    /// took are the reader's to dispose.</remarks>
    public void Close(Exception? error = null) => CloseCore(error);

    /// <summary>Closes the channel unless it is closed already.</summary>
    /// <returns><see langword="true"/> if this call closed it.</returns>
    internal bool CloseCore(Exception? error)
    {
        lock (_lock)
        {
            AssertInvariants();
            if (_closed)
            {
                return false;
            }

            _closed = true;
            _closeError = error;
        }

        // Entered before the writer completes: the reader's completion, which the drain may trigger, must not
        // complete Completion before the drained items are disposed.
        _undelivered.Enter();
        try
        {
            _channel.Writer.TryComplete(error);
            while (_channel.Reader.TryRead(out T? item))
            {
                _undelivered.Dispose(item);
            }
        }
        finally
        {
            _undelivered.Exit();
        }

        // When the scope's cancellation closed the channel this runs inside that callback, which is allowed.
        _scopeRegistration.Dispose();
        return true;
    }

    /// <summary>Completes <see cref="Completion"/> after the reader's completion and every pending disposal.</summary>
    private async Task TrackCompletionAsync()
    {
        Exception? error = null;
        try
        {
            await _channel.Reader.Completion.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        await _undelivered.WhenIdleAsync().ConfigureAwait(false);
        IReadOnlyList<Exception>? failures = _undelivered.Failures;
        if (failures is not null)
        {
            _completion.TrySetException(new AggregateException("Disposing undelivered items of the channel failed.", failures));
        }
        else if (error is OperationCanceledException canceled)
        {
            _completion.TrySetCanceled(canceled.CancellationToken);
        }
        else if (error is not null)
        {
            _completion.TrySetException(error);
            _ = _completion.Task.Exception; // reported by the producer, consumer or caller that raised it
        }
        else
        {
            _completion.TrySetResult();
        }
    }

    /// <summary>Checks the counting invariants; called at the top of each locked region in debug builds.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread, "Invariants are checked under the channel's lock.");
        Debug.Assert(_producers >= 0 && _consumers >= 0, "Participant counts never go negative.");
        Debug.Assert(!_producersDone || _producers == 0, "No producer runs after the last one completed the writer.");
        Debug.Assert(_producerFailure is null || _producers >= 0, "A producer failure is recorded by an exiting producer.");
    }
}
