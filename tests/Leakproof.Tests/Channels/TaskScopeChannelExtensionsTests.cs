using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Leakproof.Tests.Helpers;

namespace Leakproof.Tests.Channels;

public sealed class TaskScopeChannelExtensionsTests
{
    private static readonly TaskScopeOptions s_supervise = new() { FailureMode = TaskScopeFailureMode.Supervise };

    [Fact]
    public void Spawn_NullArguments_Throw()
    {
        TaskScope scope = TaskScope.Create();
        ScopedChannel<int> channel = scope.CreateChannel<int>();
        Assert.Throws<ArgumentNullException>("scope", () => TaskScopeChannelExtensions.SpawnProducer(null!, channel, (_, _) => default));
        Assert.Throws<ArgumentNullException>("channel", () => scope.SpawnProducer<int>(null!, (_, _) => default));
        Assert.Throws<ArgumentNullException>("produce", () => scope.SpawnProducer(channel, null!));
        Assert.Throws<ArgumentNullException>("consume", () => scope.SpawnConsumer(channel, null!));
        Assert.Throws<ArgumentNullException>("output", () => scope.SpawnStage<int, int>(channel, null!, (_, _, _) => default));
        Assert.Throws<ArgumentNullException>("stage", () => scope.SpawnStage(channel, channel, null!));
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task Pipeline_TwoProducersOneConsumer_DeliversEverythingAndCompletesAfterTheLastProducer()
    {
        long sum = 0;
        await TaskScope.RunAsync((scope, _) =>
        {
            ScopedChannel<int> channel = scope.CreateChannel<int>();
            scope.SpawnConsumer(channel, async (reader, ct) =>
            {
                await foreach (int item in reader.ReadAllAsync(ct))
                {
                    sum += item;
                }
            });
            scope.SpawnProducer(channel, (writer, ct) => WriteRangeAsync(writer, 1, 50, ct));
            scope.SpawnProducer(channel, (writer, ct) => WriteRangeAsync(writer, 51, 50, ct));
            return default;
        });

        Assert.Equal(5050, sum);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task SpawnProducer_AfterEveryProducerExited_Throws()
    {
        TaskScope scope = TaskScope.Create();
        ScopedChannel<int> channel = scope.CreateChannel<int>(new ScopedChannelOptions { Capacity = 4 });
        scope.SpawnProducer(channel, (writer, _) => { writer.TryWrite(1); return default; }); // finishes synchronously

        var ex = Assert.Throws<InvalidOperationException>(() => scope.SpawnProducer(channel, (_, _) => default));
        Assert.Contains("Spawn all producers", ex.Message, StringComparison.Ordinal);
        await scope.WaitAsync();
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task ProducerFails_WriterCompletesWithTheFailureAndOnlyTheProducerReportsIt()
    {
        var failure = new InvalidOperationException("receive failed");
        var received = new List<int>();
        bool consumerEnded = false;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TaskScope.RunAsync(
            (scope, _) =>
            {
                ScopedChannel<int> channel = scope.CreateChannel<int>();
                scope.SpawnConsumer(channel, async (reader, ct) =>
                {
                    try
                    {
                        await foreach (int item in reader.ReadAllAsync(ct))
                        {
                            received.Add(item);
                        }
                    }
                    finally
                    {
                        consumerEnded = true;
                    }
                });
                scope.SpawnProducer(channel, async (writer, ct) =>
                {
                    await writer.WriteAsync(1, ct);
                    await writer.WriteAsync(2, ct);
                    throw failure;
                });
                return default;
            },
            s_supervise));

        Assert.Same(failure, ex); // one failure, not an aggregate with the consumer's view of it
        Assert.True(consumerEnded);
        Assert.Equal([1, 2], received);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task ConsumerFailsWhileProducersAreBlocked_ProducersFailFastAndUndeliveredItemsAreDisposed()
    {
        var failure = new FormatException("bad request");
        var counter = new RunningCounter();
        List<TrackedResource>[] written = [[], []];
        int attempts = 0;
        var producerBlocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TrackedResource? consumed = null;

        // Supervise: no scope cancellation helps here, only the reader-side close releases the producers.
        var ex = await Assert.ThrowsAsync<FormatException>(() => TaskScope.RunAsync(
            (scope, _) =>
            {
                ScopedChannel<TrackedResource> channel = scope.CreateChannel<TrackedResource>();
                foreach (List<TrackedResource> mine in written)
                {
                    scope.SpawnProducer(channel, async (writer, _) =>
                    {
                        using RunningCounter.Scope running = counter.Enter();
                        for (int i = 0; ; i++)
                        {
                            var item = new TrackedResource(i);
                            mine.Add(item);

                            // One item is consumed and one buffered, so the third write attempt blocks.
                            if (Interlocked.Increment(ref attempts) == 3)
                            {
                                producerBlocked.TrySetResult();
                            }

                            await writer.WriteAsync(item, CancellationToken.None); // like the Go send without select
                        }
                    });
                }

                scope.SpawnConsumer(channel, async (reader, ct) =>
                {
                    consumed = await reader.ReadAsync(ct);
                    await producerBlocked.Task;
                    throw failure;
                });
                return default;
            },
            s_supervise));

        Assert.Same(failure, ex);
        Assert.Equal(0, counter.Running);
        Assert.False(consumed!.IsDisposed); // the consumer owns what it took
        int drained = 0;
        foreach (List<TrackedResource> mine in written)
        {
            // Every item a producer handed over was consumed or drained and disposed; the item whose write was
            // refused never entered the channel and stays its producer's.
            foreach (TrackedResource item in mine[..^1].Where(i => !ReferenceEquals(i, consumed)))
            {
                Assert.Equal(1, item.DisposeCount);
                drained++;
            }

            Assert.False(mine[^1].IsDisposed);
        }

        Assert.Equal(1, drained); // the one buffered item
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task ConsumerReturnsEarly_ProducerStillWriting_IsReleasedAndTheScopeSucceeds()
    {
        var counter = new RunningCounter();
        var taken = new List<int>();
        await TaskScope.RunAsync((scope, _) =>
        {
            ScopedChannel<int> channel = scope.CreateChannel<int>();
            scope.SpawnProducer(channel, async (writer, _) =>
            {
                using RunningCounter.Scope running = counter.Enter();
                for (int i = 0; ; i++)
                {
                    await writer.WriteAsync(i, CancellationToken.None); // endless, and deaf to cancellation
                }
            });
            scope.SpawnConsumer(channel, async (reader, ct) =>
            {
                for (int i = 0; i < 3; i++)
                {
                    taken.Add(await reader.ReadAsync(ct));
                }
            });
            return default;
        });

        Assert.Equal([0, 1, 2], taken);
        Assert.Equal(0, counter.Running);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task ScopeFailsFast_ProducerBlockedWithoutAToken_IsReleased()
    {
        var failure = new InvalidOperationException("unrelated child failed");
        var counter = new RunningCounter();
        var producerBlocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TaskScope.RunAsync((scope, _) =>
        {
            ScopedChannel<int> channel = scope.CreateChannel<int>();
            scope.SpawnProducer(channel, async (writer, _) =>
            {
                using RunningCounter.Scope running = counter.Enter();
                await writer.WriteAsync(1, CancellationToken.None);
                producerBlocked.SetResult();
                await writer.WriteAsync(2, CancellationToken.None); // the buffer is full, there is no consumer, no token
            });
            scope.Spawn(async _ =>
            {
                await producerBlocked.Task;
                throw failure;
            });
            return default;
        }));

        Assert.Same(failure, ex);
        Assert.Equal(0, counter.Running);
    }

    /// <summary>
    /// go-control-plane's <c>DeltaStreamHandler</c>: a receiver feeds a bounded channel, the processor exits on an
    /// error, and the receiver blocks forever on its next send. With the spawn helpers the receiver is released.
    /// </summary>
    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task Pipeline_DeltaStreamShape_LeavesNoReceiverBlockedWhereThePlainChannelLeavesIt()
    {
        var failure = new InvalidOperationException("callback returned an error");

        // The plain BCL version: the processor returns on error; nobody completes or drains the channel.
        var bcl = new RunningCounter();
        var requests = Channel.CreateBounded<int>(1);
        var thirdSend = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task receiver = ReceiveAsync(bcl, requests.Writer, thirdSend);
        Task processor = ProcessAsync(requests.Reader, failure);
        await Assert.ThrowsAsync<InvalidOperationException>(() => processor);
        await thirdSend.Task; // the receiver is now in a send that can never complete
        Assert.False(receiver.IsCompleted);
        Assert.Equal(1, bcl.Running); // leaked
        requests.Writer.TryComplete(); // test hygiene: release it
        await Assert.ThrowsAsync<ChannelClosedException>(() => receiver);

        // Ours: the processor's failure closes the channel from the reader side; the receiver fails fast and exits.
        var ours = new RunningCounter();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TaskScope.RunAsync(
            (scope, _) =>
            {
                ScopedChannel<int> channel = scope.CreateChannel<int>();
                scope.SpawnProducer(channel, (writer, _) => new ValueTask(ReceiveAsync(ours, writer, new TaskCompletionSource())));
                scope.SpawnConsumer(channel, (reader, _) => new ValueTask(ProcessAsync(reader, failure)));
                return default;
            },
            s_supervise));
        Assert.Same(failure, ex);
        Assert.Equal(0, ours.Running);
    }

    private static async Task ReceiveAsync(RunningCounter counter, ChannelWriter<int> requests, TaskCompletionSource thirdSend)
    {
        using RunningCounter.Scope running = counter.Enter();
        for (int request = 1; ; request++)
        {
            if (request == 3)
            {
                thirdSend.TrySetResult();
            }

            await requests.WriteAsync(request); // like the Go send that does not select on ctx.Done()
        }
    }

    private static async Task ProcessAsync(ChannelReader<int> requests, Exception failure)
    {
        await requests.ReadAsync(); // the first request is handled ...
        throw failure; // ... and the callback fails
    }

    private static async ValueTask WriteRangeAsync(ChannelWriter<int> writer, int start, int count, CancellationToken cancellationToken)
    {
        for (int i = start; i < start + count; i++)
        {
            await writer.WriteAsync(i, cancellationToken);
        }
    }
}
