using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tests.Helpers;

namespace Leakproof.Tests.Channels;

/// <summary>Stages: a consumer of one channel and a producer of the next, with both sides' exit rules.</summary>
public sealed class SpawnStageTests
{
    private static readonly TaskScopeOptions s_supervise = new() { FailureMode = TaskScopeFailureMode.Supervise };

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task SpawnStage_ProducerStageConsumer_TransformsEverything()
    {
        var results = new List<string>();
        await TaskScope.RunAsync((scope, _) =>
        {
            ScopedChannel<int> numbers = scope.CreateChannel<int>();
            ScopedChannel<string> texts = scope.CreateChannel<string>(new ScopedChannelOptions { Capacity = 2 });
            scope.SpawnProducer(numbers, async (writer, ct) =>
            {
                for (int i = 1; i <= 5; i++)
                {
                    await writer.WriteAsync(i, ct);
                }
            });
            scope.SpawnStage(numbers, texts, async (reader, writer, ct) =>
            {
                await foreach (int n in reader.ReadAllAsync(ct))
                {
                    await writer.WriteAsync($"#{n * 2}", ct);
                }
            });
            scope.SpawnConsumer(texts, async (reader, ct) =>
            {
                await foreach (string text in reader.ReadAllAsync(ct))
                {
                    results.Add(text);
                }
            });
            return default;
        });

        Assert.Equal(["#2", "#4", "#6", "#8", "#10"], results);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task SpawnStage_DownstreamConsumerFails_ReleasesTheStageAndTheUpstreamProducer()
    {
        var failure = new InvalidOperationException("sink failed");
        var counter = new RunningCounter();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TaskScope.RunAsync(
            (scope, _) =>
            {
                ScopedChannel<int> numbers = scope.CreateChannel<int>();
                ScopedChannel<int> doubled = scope.CreateChannel<int>();
                scope.SpawnProducer(numbers, async (writer, _) =>
                {
                    using RunningCounter.Scope running = counter.Enter();
                    for (int i = 0; ; i++)
                    {
                        await writer.WriteAsync(i, CancellationToken.None);
                    }
                });
                scope.SpawnStage(numbers, doubled, async (reader, writer, _) =>
                {
                    using RunningCounter.Scope running = counter.Enter();
                    while (true)
                    {
                        await writer.WriteAsync(await reader.ReadAsync(CancellationToken.None) * 2, CancellationToken.None);
                    }
                });
                scope.SpawnConsumer(doubled, async (reader, ct) =>
                {
                    await reader.ReadAsync(ct);
                    throw failure;
                });
                return default;
            },
            s_supervise));

        Assert.Same(failure, ex);
        Assert.Equal(0, counter.Running);
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task SpawnStage_UpstreamProducerFails_HandsTheFailureDownAndReportsItOnce()
    {
        var failure = new InvalidOperationException("source failed");
        bool consumerSawTheEnd = false;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TaskScope.RunAsync(
            (scope, _) =>
            {
                ScopedChannel<int> numbers = scope.CreateChannel<int>();
                ScopedChannel<int> doubled = scope.CreateChannel<int>();
                scope.SpawnProducer(numbers, async (writer, ct) =>
                {
                    await writer.WriteAsync(1, ct);
                    throw failure;
                });
                scope.SpawnStage(numbers, doubled, async (reader, writer, ct) =>
                {
                    await foreach (int n in reader.ReadAllAsync(ct))
                    {
                        await writer.WriteAsync(n * 2, ct);
                    }
                });
                scope.SpawnConsumer(doubled, async (reader, ct) =>
                {
                    try
                    {
                        await foreach (int n in reader.ReadAllAsync(ct))
                        {
                        }
                    }
                    catch (InvalidOperationException seen) when (ReferenceEquals(seen, failure))
                    {
                        consumerSawTheEnd = true; // the downstream consumer learns the source failed
                        throw;
                    }
                });
                return default;
            },
            s_supervise));

        Assert.Same(failure, ex);
        Assert.True(consumerSawTheEnd);
    }
}
