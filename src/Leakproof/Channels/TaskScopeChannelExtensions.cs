using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Leakproof;

/// <summary>
/// Provides channel pipelines on a <see cref="TaskScope"/>: channels whose writers are completed on every exit path
/// and whose producers fail fast when their consumers are gone.
/// </summary>
/// <remarks>
/// A pipeline is producers, optional stages and consumers, each a child of the scope. When a producer exits the
/// channel learns it (the last one completes the writer, with the failure if one failed); when a consumer exits early
/// or fails, the channel is closed from the reader side, so producers blocked writing are released instead of hanging
/// (the go-control-plane <c>DeltaStreamHandler</c> leak). An exception that only reflects another participant's end
/// (a write to a closed channel, a read of a failed producer's error) is not reported again: the participant that
/// caused it reports it.
/// </remarks>
[SuppressMessage("Reliability", "CA1849:Call async methods when in an async method", Justification = "Spawn never blocks; the helpers must not wait for a slot.")]
public static class TaskScopeChannelExtensions
{
    /// <summary>The options used when none are given.</summary>
    private static readonly ScopedChannelOptions s_defaultOptions = new();

    /// <summary>Creates a channel owned by <paramref name="scope"/>: it closes itself when the scope's token is cancelled.</summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="scope">The scope that owns the channel.</param>
    /// <param name="options">The channel's options, or <see langword="null"/> for a one-slot buffer that waits when full.</param>
    /// <returns>The new channel.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished.</exception>
    public static ScopedChannel<T> CreateChannel<T>(this TaskScope scope, ScopedChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.IsFinished)
        {
            throw new InvalidOperationException($"The task scope '{scope.Name}' has finished, so it cannot own a new channel.");
        }

        return new ScopedChannel<T>(scope, options ?? s_defaultOptions);
    }

    /// <summary>
    /// Starts a producer as a child of the scope. When the last producer of <paramref name="channel"/> exits, on
    /// every path, the channel's writer is completed: normally, or with the first producer failure.
    /// </summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="scope">The scope that runs the producer.</param>
    /// <param name="channel">The channel the producer writes to.</param>
    /// <param name="produce">The producer; it receives the writer and the scope's token. It must not complete the
    /// writer itself.</param>
    /// <param name="name">An optional name for the census, metrics and traces.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the spawning member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the spawning source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the spawning line.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/>, <paramref name="channel"/> or <paramref name="produce"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished, or every producer of the channel has
    /// already exited (spawn all producers before any of them can finish).</exception>
    /// <remarks>A producer that fails with the <see cref="ChannelClosedException"/> of a channel closed from the reader
    /// side exits normally: its consumer is gone, and that is the consumer's story to report.</remarks>
    public static void SpawnProducer<T>(
        this TaskScope scope,
        ScopedChannel<T> channel,
        Func<ChannelWriter<T>, CancellationToken, ValueTask> produce,
        string? name = null,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(produce);
        channel.AddProducer();
        try
        {
            scope.Spawn(ct => RunProducerAsync(channel, produce, ct), name, callerMemberName, callerFilePath, callerLineNumber);
        }
        catch
        {
            channel.ProducerExited(null);
            throw;
        }
    }

    /// <summary>
    /// Starts a consumer as a child of the scope. When the consumer fails, the channel is closed at once with its
    /// failure; when the last consumer exits, the channel is closed. Either way producers still writing fail fast and
    /// undelivered items are disposed.
    /// </summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="scope">The scope that runs the consumer.</param>
    /// <param name="channel">The channel the consumer reads.</param>
    /// <param name="consume">The consumer; it receives the reader and the scope's token.</param>
    /// <param name="name">An optional name for the census, metrics and traces.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the spawning member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the spawning source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the spawning line.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/>, <paramref name="channel"/> or <paramref name="consume"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished.</exception>
    /// <remarks>A consumer that fails only because the input ended (a producer's failure handed on by the channel, a
    /// closed channel, a read after the writer was completed) exits normally; the producer reports its own failure.</remarks>
    public static void SpawnConsumer<T>(
        this TaskScope scope,
        ScopedChannel<T> channel,
        Func<ChannelReader<T>, CancellationToken, ValueTask> consume,
        string? name = null,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(consume);
        channel.AddConsumer();
        try
        {
            scope.Spawn(ct => RunConsumerAsync(channel, consume, ct), name, callerMemberName, callerFilePath, callerLineNumber);
        }
        catch
        {
#pragma warning disable LEAK1001 // The channel observes its own close; the spawn failure is what the caller must see.
            _ = channel.ConsumerExitedAsync(null).AsTask(); // the scope finished, so its token already closed the channel
#pragma warning restore LEAK1001
            throw;
        }
    }

    /// <summary>
    /// Starts a stage as a child of the scope: a consumer of <paramref name="input"/> and a producer of
    /// <paramref name="output"/>, with both sides' exit rules. A producer failure upstream is handed on to
    /// <paramref name="output"/>'s readers, and a closed <paramref name="output"/> closes <paramref name="input"/> in
    /// turn once its last consumer exits, so a failure anywhere releases the whole pipeline.
    /// </summary>
    /// <typeparam name="TIn">The type of the items read.</typeparam>
    /// <typeparam name="TOut">The type of the items written.</typeparam>
    /// <param name="scope">The scope that runs the stage.</param>
    /// <param name="input">The channel the stage reads.</param>
    /// <param name="output">The channel the stage writes to.</param>
    /// <param name="stage">The stage; it receives the input's reader, the output's writer and the scope's token.</param>
    /// <param name="name">An optional name for the census, metrics and traces.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the spawning member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the spawning source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the spawning line.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished, or every producer of <paramref name="output"/>
    /// has already exited.</exception>
    public static void SpawnStage<TIn, TOut>(
        this TaskScope scope,
        ScopedChannel<TIn> input,
        ScopedChannel<TOut> output,
        Func<ChannelReader<TIn>, ChannelWriter<TOut>, CancellationToken, ValueTask> stage,
        string? name = null,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(stage);
        output.AddProducer();
        input.AddConsumer();
        try
        {
            scope.Spawn(ct => RunStageAsync(input, output, stage, ct), name, callerMemberName, callerFilePath, callerLineNumber);
        }
        catch
        {
#pragma warning disable LEAK1001 // The channel observes its own close; the spawn failure is what the caller must see.
            _ = input.ConsumerExitedAsync(null).AsTask();
#pragma warning restore LEAK1001
            output.ProducerExited(null);
            throw;
        }
    }

    private static async ValueTask RunProducerAsync<T>(
        ScopedChannel<T> channel, Func<ChannelWriter<T>, CancellationToken, ValueTask> produce, CancellationToken cancellationToken)
    {
        try
        {
            await produce(channel.Writer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (channel.IsCausedByClose(ex))
        {
            // The reader side closed the channel: the producer's work is no longer wanted.
        }
        catch (Exception ex)
        {
            channel.ProducerExited(ex);
            throw;
        }

        channel.ProducerExited(null);
    }

    private static async ValueTask RunConsumerAsync<T>(
        ScopedChannel<T> channel, Func<ChannelReader<T>, CancellationToken, ValueTask> consume, CancellationToken cancellationToken)
    {
        try
        {
            await consume(channel.Reader, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (channel.IsEndOfInput(ex))
        {
            // The input ended (a producer failed, or the channel closed); whoever ended it reports it.
        }
        catch (Exception ex)
        {
            await channel.ConsumerExitedAsync(ex).ConfigureAwait(false);
            throw;
        }

        await channel.ConsumerExitedAsync(null).ConfigureAwait(false);
    }

    private static async ValueTask RunStageAsync<TIn, TOut>(
        ScopedChannel<TIn> input,
        ScopedChannel<TOut> output,
        Func<ChannelReader<TIn>, ChannelWriter<TOut>, CancellationToken, ValueTask> stage,
        CancellationToken cancellationToken)
    {
        Exception? upstreamFailure = null;
        try
        {
            await stage(input.Reader, output.Writer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (input.IsUpstreamFailure(ex))
        {
            upstreamFailure = ex; // handed on downstream, reported by the producer that raised it
        }
        catch (Exception ex) when (input.IsEndOfInput(ex) || output.IsCausedByClose(ex))
        {
            // The input ended or the output's readers are gone.
        }
        catch (Exception ex)
        {
            await input.ConsumerExitedAsync(ex).ConfigureAwait(false);
            output.ProducerExited(ex);
            throw;
        }

        await input.ConsumerExitedAsync(null).ConfigureAwait(false);
        output.ProducerExited(upstreamFailure);
    }
}
