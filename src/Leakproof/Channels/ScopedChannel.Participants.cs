using System;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Leakproof;

/// <content>Producer and consumer bookkeeping for the spawn helpers in <see cref="TaskScopeChannelExtensions"/>.</content>
public sealed partial class ScopedChannel<T>
{
    /// <summary>Registers a producer about to be spawned.</summary>
    /// <exception cref="InvalidOperationException">Every producer already exited and the writer is completed.</exception>
    internal void AddProducer()
    {
        lock (_lock)
        {
            AssertInvariants();
            if (_producersDone)
            {
                throw new InvalidOperationException(
                    "Every producer of this channel has already exited, so its writer is completed. Spawn all producers " +
                    "before any of them can finish: for example one after another from the scope's body, or from a running producer.");
            }

            _producers++;
        }
    }

    /// <summary>Records a producer's exit; the last one completes the writer, with the first producer failure if any.</summary>
    internal void ProducerExited(Exception? failure)
    {
        Exception? error;
        lock (_lock)
        {
            AssertInvariants();
            _producers--;
            _producerFailure ??= failure;
            if (_producers != 0)
            {
                return;
            }

            _producersDone = true;
            error = _producerFailure;
        }

        _channel.Writer.TryComplete(error);
    }

    /// <summary>Registers a consumer about to be spawned.</summary>
    internal void AddConsumer()
    {
        lock (_lock)
        {
            AssertInvariants();
            _consumers++;
        }
    }

    /// <summary>
    /// Records a consumer's exit. A failing consumer closes the channel at once with its failure; otherwise the last
    /// consumer closes it, so producers still writing fail fast. Waits for the undelivered items' disposal when this
    /// call closed the channel, so the consumer's child covers it.
    /// </summary>
    internal async ValueTask ConsumerExitedAsync(Exception? failure)
    {
        bool close;
        lock (_lock)
        {
            AssertInvariants();
            _consumers--;
            close = failure is not null || _consumers == 0;
        }

        if (close && CloseCore(failure))
        {
            await _undelivered.WhenIdleAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Tells whether a producer's exception only says the channel was closed from the reader side.</summary>
    internal bool IsCausedByClose(Exception exception)
    {
        lock (_lock)
        {
            return _closed && (exception is ChannelClosedException || ReferenceEquals(exception, _closeError));
        }
    }

    /// <summary>Tells whether a consumer's exception is a producer's failure handed on by the channel (the producer's
    /// own child reports it).</summary>
    internal bool IsUpstreamFailure(Exception exception)
    {
        lock (_lock)
        {
            return _producerFailure is { } failure
                && (ReferenceEquals(exception, failure)
                    || (exception is ChannelClosedException && ReferenceEquals(exception.InnerException, failure)));
        }
    }

    /// <summary>Tells whether a consumer's exception only says the input ended: a producer's failure, a close, or a
    /// read after the writer was completed.</summary>
    internal bool IsEndOfInput(Exception exception)
    {
        if (IsUpstreamFailure(exception) || IsCausedByClose(exception))
        {
            return true;
        }

        lock (_lock)
        {
            return _producersDone && exception is ChannelClosedException { InnerException: null };
        }
    }
}
