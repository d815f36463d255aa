using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Testing.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Leakproof.Testing.Tests.Guard;

/// <summary>Each real leak shape: the leak is caught at the right line, and the fixed version is clean.</summary>
public sealed class LeakShapeTests
{
    [Fact]
    public async Task FindLeaks_TcsNeverCompleted_ReportsAwaitLine()
    {
        var guard = LeakGuard.Start(Fast.Options());
        var never = new TaskCompletionSource();
        _ = LeakShapes.WaitForSignalAsync(never.Task);

        LeakReport report = await guard.FindLeaksAsync();

        LeakedOperation leak = Assert.Single(report.Leaks);
        Assert.Equal(LeakState.Pending, leak.State);
        Assert.Equal(LeakShapes.SignalLine, leak.Line);
        Assert.EndsWith("LeakShapes.cs", leak.File, StringComparison.Ordinal);
        Assert.Contains($"LeakShapes.cs:{LeakShapes.SignalLine}", report.ToString(), StringComparison.Ordinal);
        never.SetResult();
    }

    [Fact]
    public async Task FindLeaks_TcsCompleted_IsClean()
    {
        var guard = LeakGuard.Start(Fast.Options());
        var signal = new TaskCompletionSource();
        Task waiting = LeakShapes.WaitForSignalAsync(signal.Task);
        signal.SetResult();
        await waiting;

        LeakReport report = await guard.FindLeaksAsync();

        Assert.False(report.HasLeaks, report.ToString());
    }

    [Fact]
    public async Task FindLeaks_WhenAnyDelayTimeoutNotCancelled_ReportsTimerAndCreationLine()
    {
        var guard = LeakGuard.Start(new LeakGuardOptions { MaxRetries = 0, CaptureCreationStacks = true });
        Assert.True(await LeakShapes.WithTimeoutAsync(Task.CompletedTask, CancellationToken.None));

        LeakReport report = await guard.FindLeaksAsync();

        LeakedOperation leak = Assert.Single(report.Leaks);
        Assert.Equal(PendingOperationKind.Delay, leak.Kind);
        Assert.Contains($"LeakShapes.cs:line {LeakShapes.DelayLine}", leak.Operation!.CreatedAt!.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindLeaks_WhenAnyDelayTimeoutCancelled_IsClean()
    {
        var guard = LeakGuard.Start(new LeakGuardOptions { MaxRetries = 0, CaptureCreationStacks = true });
        using var cts = new CancellationTokenSource();
        Assert.True(await LeakShapes.WithTimeoutAsync(Task.CompletedTask, cts.Token));
        await cts.CancelAsync();

        LeakReport report = await guard.FindLeaksAsync();

        Assert.False(report.HasLeaks, report.ToString());
    }

    [Fact]
    public async Task FindLeaks_WhenAnyLoserStillRunning_ReportsLoserAwaitLine()
    {
        using var replicas = new CancellationTokenSource();
        var guard = LeakGuard.Start(Fast.Options());
        Task<int> slow = LeakShapes.SlowReplicaAsync(replicas.Token);
        Task<int> winner = await Task.WhenAny(slow, Task.FromResult(1));
        Assert.Equal(1, await winner);

        LeakReport report = await guard.FindLeaksAsync();

        Assert.Contains(report.Leaks, l => l.Description.EndsWith("SlowReplicaAsync", StringComparison.Ordinal) && l.Line == LeakShapes.LoserLine);
        await replicas.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }

    [Fact]
    public async Task FindLeaks_WhenAnyLoserCancelledAndAwaited_IsClean()
    {
        var guard = LeakGuard.Start(Fast.Options());
        using var replicas = new CancellationTokenSource();
        Task<int> slow = LeakShapes.SlowReplicaAsync(replicas.Token);
        Task<int> winner = await Task.WhenAny(slow, Task.FromResult(1));
        await replicas.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);

        LeakReport report = await guard.FindLeaksAsync();

        Assert.Equal(1, await winner);
        Assert.False(report.HasLeaks, report.ToString());
    }

    [Fact]
    public async Task FindLeaks_ProducerBlockedOnDeadConsumer_ReportsChannelWrite()
    {
        var guard = LeakGuard.Start(Fast.Options());
        Channel<int> channel = Channel.CreateBounded<int>(1);
        Task producer = LeakShapes.ProduceAsync(channel.Writer, 3);
        Assert.Equal(0, await channel.Reader.ReadAsync()); // The consumer reads once, then dies without completing the channel.

        LeakReport report = await guard.FindLeaksAsync();

        LeakedOperation leak = Assert.Single(report.Leaks);
        Assert.Equal(LeakShapes.ProduceLine, leak.Line);
        Assert.Equal(PendingOperationKind.ChannelOperation, leak.Operation!.Awaiting!.Kind);
        GC.KeepAlive(producer);
    }

    [Fact]
    public async Task FindLeaks_ConsumerCompletesChannelWhenItDies_IsClean()
    {
        var guard = LeakGuard.Start(Fast.Options());
        Channel<int> channel = Channel.CreateBounded<int>(1);
        Task producer = LeakShapes.ProduceAsync(channel.Writer, 3);
        Assert.Equal(0, await channel.Reader.ReadAsync());
        channel.Writer.TryComplete(new InvalidOperationException("consumer died")); // The fix: close on every exit path.
        await Assert.ThrowsAnyAsync<Exception>(() => producer);

        LeakReport report = await guard.FindLeaksAsync();

        Assert.False(report.HasLeaks, report.ToString());
    }

    [Fact]
    public async Task FindLeaks_LoopIgnoresItsToken_ReportsLoopAwaitLine()
    {
        var time = new FakeTimeProvider();
        var guard = LeakGuard.Start(Fast.Options());
        using var stop = new CancellationTokenSource();
        Task loop = LeakShapes.StubbornLoopAsync(time, stop.Token);
        time.Advance(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();

        LeakReport report = await guard.FindLeaksAsync();

        Assert.Contains(report.Leaks, l => l.Line == LeakShapes.LoopLine);
        GC.KeepAlive(loop);
    }

    [Fact]
    public async Task FindLeaks_LoopObservesItsToken_IsClean()
    {
        var time = new FakeTimeProvider();
        var guard = LeakGuard.Start(Fast.Options());
        using var stop = new CancellationTokenSource();
        Task loop = LeakShapes.PoliteLoopAsync(time, stop.Token);
        time.Advance(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);

        LeakReport report = await guard.FindLeaksAsync();

        Assert.False(report.HasLeaks, report.ToString());
    }

    [Fact]
    public async Task FindLeaks_FireAndForgetFails_ReportsUnobservedException()
    {
        var guard = LeakGuard.Start(Fast.Options());
        var gate = new TaskCompletionSource();
        FireAndForget(gate.Task);
        gate.SetResult();

        LeakReport report = await guard.FindLeaksAsync();

        Exception unobserved = Assert.Single(report.UnobservedExceptions);
        Assert.Contains("fire-and-forget failure nobody observed", unobserved.ToString(), StringComparison.Ordinal);
        Assert.True(report.HasLeaks);
        Assert.Empty(report.Leaks);
    }

    [Fact]
    public async Task FindLeaks_FailureAwaited_IsClean()
    {
        var guard = LeakGuard.Start(Fast.Options());
        var gate = new TaskCompletionSource();
        Task failing = LeakShapes.FailWhenOpenedAsync(gate.Task);
        gate.SetResult();
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);

        LeakReport report = await guard.FindLeaksAsync();

        Assert.False(report.HasLeaks, report.ToString());
    }

    [Fact]
    public async Task FindLeaks_RegistrationOnLongLivedToken_ReportsWaitKeptAlive()
    {
        using var applicationStopping = new CancellationTokenSource();
        var guard = LeakGuard.Start(Fast.Options());
        _ = LeakShapes.WaitForShutdownAsync(applicationStopping.Token); // The request ends; the wait lives on.

        LeakReport report = await guard.FindLeaksAsync();

        LeakedOperation leak = Assert.Single(report.Leaks);
        Assert.Equal(LeakState.Pending, leak.State); // Kept reachable by the token's registration, so not abandoned.
        Assert.Equal(LeakShapes.ShutdownLine, leak.Line);
        await applicationStopping.CancelAsync();
    }

    [Fact]
    public async Task FindLeaks_RegistrationLinkedToRequest_IsClean()
    {
        using var applicationStopping = new CancellationTokenSource();
        var guard = LeakGuard.Start(Fast.Options());
        using (var request = new CancellationTokenSource())
        {
            Task wait = LeakShapes.WaitForShutdownOrRequestEndAsync(applicationStopping.Token, request.Token);
            await request.CancelAsync();
            await wait;
        }

        LeakReport report = await guard.FindLeaksAsync();

        Assert.False(report.HasLeaks, report.ToString());
    }

    [Fact]
    public async Task FindLeaks_PendingMethodBecomesUnreachable_ReportsAbandonedWithLine()
    {
        var guard = LeakGuard.Start(Fast.Options());
        StartAndDrop(complete: false);

        LeakReport report = await guard.FindLeaksAsync();

        LeakedOperation leak = Assert.Single(report.Leaks);
        Assert.Equal(LeakState.Abandoned, leak.State);
        Assert.True(LeakShapes.SignalLine == leak.Line, report.ToString() + leak.Abandoned!.Description);
        Assert.Contains("abandoned", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindLeaks_MethodCompletedBeforeUnreachable_IsClean()
    {
        var guard = LeakGuard.Start(Fast.Options());
        StartAndDrop(complete: true);

        LeakReport report = await guard.FindLeaksAsync();

        Assert.False(report.HasLeaks, report.ToString());
    }

    [Fact]
    public async Task FindLeaks_TimerNeverDisposed_ReportsTimerCallback()
    {
        var guard = LeakGuard.Start(Fast.Options());
        var heartbeat = new Timer(OnHeartbeat, null, TimeSpan.FromHours(1), TimeSpan.FromHours(1)); // Started, never disposed.

        LeakReport report = await guard.FindLeaksAsync();

        LeakedTimer timer = Assert.Single(report.Timers);
        Assert.EndsWith("LeakShapeTests.OnHeartbeat", timer.Callback, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(1), timer.Period);
        Assert.True(report.HasLeaks);
        Assert.Contains("Timers left running", report.ToString(), StringComparison.Ordinal);
        await heartbeat.DisposeAsync();
    }

    [Fact]
    public async Task FindLeaks_TimerDisposed_IsClean()
    {
        var guard = LeakGuard.Start(Fast.Options());
        var heartbeat = new Timer(OnHeartbeat, null, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        await heartbeat.DisposeAsync();

        LeakReport report = await guard.FindLeaksAsync();

        Assert.Empty(report.Timers);
        Assert.False(report.HasLeaks, report.ToString());
    }

    private static void OnHeartbeat(object? state)
    {
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FireAndForget(Task gate) => _ = LeakShapes.FailWhenOpenedAsync(gate);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartAndDrop(bool complete)
    {
        var signal = new TaskCompletionSource();
        _ = LeakShapes.WaitForSignalAsync(signal.Task);
        if (complete)
        {
            signal.SetResult();
        }
    }
}
