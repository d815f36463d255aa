using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Leakproof.Testing.Tests.Support;

/// <summary>The leak shapes of PRODUCT.md §1, each with the line of the await (or call) a report must point at.</summary>
internal static class LeakShapes
{
    public static int SignalLine { get; private set; }

    public static int DelayLine { get; private set; }

    public static int LoserLine { get; private set; }

    public static int ProduceLine { get; private set; }

    public static int LoopLine { get; private set; }

    public static int ShutdownLine { get; private set; }

    /// <summary>Waits for a handoff; leaks when nobody completes the source.</summary>
    public static async Task WaitForSignalAsync(Task signal)
    {
        SignalLine = Here.Line(); await signal;
    }

    /// <summary>A timeout by WhenAny with Task.Delay: without cancelling the delay its timer outlives the call.</summary>
    public static async Task<bool> WithTimeoutAsync(Task work, CancellationToken delayToken)
    {
        DelayLine = Here.Line(); Task timeout = Task.Delay(TimeSpan.FromMinutes(30), TimeProvider.System, delayToken);
        Task winner = await Task.WhenAny(work, timeout);
        return winner == work;
    }

    /// <summary>A first-wins race participant that only stops when its token is cancelled.</summary>
    public static async Task<int> SlowReplicaAsync(CancellationToken cancellationToken)
    {
        LoserLine = Here.Line(); await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
        return 2;
    }

    /// <summary>Writes items to a bounded channel; blocks forever if the consumer died without completing it.</summary>
    public static async Task ProduceAsync(ChannelWriter<int> writer, int count)
    {
        for (int i = 0; i < count; i++)
        {
            ProduceLine = Here.Line(); await writer.WriteAsync(i);
        }

        writer.TryComplete();
    }

    /// <summary>A background loop that ignores its token (the leak).</summary>
    public static async Task StubbornLoopAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        while (true)
        {
            LoopLine = Here.Line(); await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, CancellationToken.None);
        }
    }

    /// <summary>The same loop, observing its token (the fix).</summary>
    public static async Task PoliteLoopAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, cancellationToken);
        }
    }

    /// <summary>Fails once the gate opens; nobody awaits it in the leak.</summary>
    public static async Task FailWhenOpenedAsync(Task gate)
    {
        await gate;
        throw new InvalidOperationException("fire-and-forget failure nobody observed");
    }

    /// <summary>Waits for application shutdown through a registration on the long-lived token: the registration keeps
    /// the callback, and with it this method, alive for as long as the application runs.</summary>
    public static async Task WaitForShutdownAsync(CancellationToken applicationStopping)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration registration = applicationStopping.Register(() => stopped.TrySetResult());
        ShutdownLine = Here.Line(); await stopped.Task;
    }

    /// <summary>The fix: link the long-lived token with the request's, so the wait and its registration end with the request.</summary>
    public static async Task WaitForShutdownOrRequestEndAsync(CancellationToken applicationStopping, CancellationToken requestAborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(applicationStopping, requestAborted);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration registration = linked.Token.Register(() => stopped.TrySetResult());
        await stopped.Task;
    }
}
