using System;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Loops;

public sealed class BackgroundLoopStopTests
{
    private static readonly TimeSpan s_period = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task StopAsync_DuringTick_CancelsTokenAndWaitsForTickToEnd()
    {
        var time = new TimerTrackingTimeProvider();
        var entered = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool tickEnded = false;
        var loop = new BackgroundLoop(
            async ct =>
            {
                entered.TrySetResult(ct);
                await release.Task; // Ignores its token on purpose: stop must still wait for it.
                Volatile.Write(ref tickEnded, true);
            },
            BackgroundLoopTests.Options(time));
        loop.EnsureStarted();
        time.Advance(s_period);
        CancellationToken tickToken = await entered.Task.Guard();

        Task stop = loop.StopAsync();

        Assert.True(tickToken.IsCancellationRequested);
        Assert.False(stop.IsCompleted);
        Assert.False(loop.IsRunning);
        release.SetResult();
        await stop.Guard();
        Assert.True(Volatile.Read(ref tickEnded));
        Assert.Equal(0, time.LiveTimers);
    }

    [Fact]
    public async Task StopAsync_TokenCancelledWhileTickIgnoresCancellation_ThrowsButLoopStillStops()
    {
        var time = new TimerTrackingTimeProvider();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new BackgroundLoop(
            async _ =>
            {
                entered.TrySetResult();
                await release.Task;
            },
            BackgroundLoopTests.Options(time));
        loop.EnsureStarted();
        time.Advance(s_period);
        await entered.Task.Guard();
        using var giveUp = new CancellationTokenSource();

        Task stop = loop.StopAsync(giveUp.Token);
        giveUp.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stop.Guard());
        Assert.Throws<InvalidOperationException>(loop.EnsureStarted);
        release.SetResult();
        await loop.DisposeAsync().Guard();
        Assert.Equal(0, time.LiveTimers);
    }

    [Fact]
    public async Task StopAsync_BeforeStart_PreventsStart()
    {
        var time = new TimerTrackingTimeProvider();
        var loop = new BackgroundLoop(_ => default, BackgroundLoopTests.Options(time));

        await loop.StopAsync().Guard();

        var ex = Assert.Throws<InvalidOperationException>(loop.EnsureStarted);
        Assert.Contains("stopped", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(StopAsync_BeforeStart_PreventsStart), ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, time.TimersCreated);
    }

    [Fact]
    public async Task EnsureStarted_AfterDispose_ThrowsObjectDisposedException()
    {
        var loop = new BackgroundLoop(_ => default, BackgroundLoopTests.Options(new TimerTrackingTimeProvider()));
        loop.EnsureStarted();

        await loop.DisposeAsync().Guard();

        var ex = Assert.Throws<ObjectDisposedException>(loop.EnsureStarted);
        Assert.Contains("disposed", ex.Message, StringComparison.Ordinal);
    }
}
