using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Loops;

public sealed class BackgroundLoopTests
{
    private static readonly TimeSpan s_period = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Ctor_BeforeEnsureStarted_CreatesNoTimerAndRunsNothing()
    {
        var time = new TimerTrackingTimeProvider();
        int ticks = 0;
        await using var loop = new BackgroundLoop(_ => { Interlocked.Increment(ref ticks); return default; }, Options(time));

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, time.TimersCreated);
        Assert.Equal(0, Volatile.Read(ref ticks));
        Assert.False(loop.IsRunning);
    }

    [Fact]
    public async Task EnsureStarted_FirstTick_RunsAfterOnePeriod()
    {
        var time = new TimerTrackingTimeProvider();
        var starts = Channel.CreateUnbounded<int>();
        int ticks = 0;
        await using var loop = new BackgroundLoop(_ => { starts.Writer.TryWrite(Interlocked.Increment(ref ticks)); return default; }, Options(time));

        loop.EnsureStarted();
        Assert.True(loop.IsRunning);
        Assert.Equal(1, time.TimersCreated);
        time.Advance(s_period - TimeSpan.FromMilliseconds(1));
        Assert.False(starts.Reader.TryRead(out _));

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await starts.Reader.ReadAsync().Guard());
        time.Advance(s_period);
        Assert.Equal(2, await starts.Reader.ReadAsync().Guard());
    }

    [Fact]
    public async Task EnsureStarted_CalledConcurrently_StartsOneLoop()
    {
        var time = new TimerTrackingTimeProvider();
        var starts = Channel.CreateUnbounded<int>();
        int ticks = 0;
        await using var loop = new BackgroundLoop(_ => { starts.Writer.TryWrite(Interlocked.Increment(ref ticks)); return default; }, Options(time));

        Parallel.For(0, 16, _ => loop.EnsureStarted());
        loop.EnsureStarted();

        Assert.Equal(1, time.TimersCreated);
        time.Advance(s_period);
        Assert.Equal(1, await starts.Reader.ReadAsync().Guard());
        await loop.StopAsync().Guard();
        Assert.False(starts.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Tick_SlowerThanPeriod_NeverOverlapsAndDelaysNextTick()
    {
        var time = new TimerTrackingTimeProvider();
        var starts = Channel.CreateUnbounded<int>();
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int ticks = 0;
        int active = 0;
        int maxActive = 0;
        await using var loop = new BackgroundLoop(
            async _ =>
            {
                int now = Interlocked.Increment(ref active);
                InterlockedMax(ref maxActive, now);
                int n = Interlocked.Increment(ref ticks);
                starts.Writer.TryWrite(n);
                if (n == 1)
                {
                    await releaseFirst.Task;
                }

                Interlocked.Decrement(ref active);
            },
            Options(time));
        loop.EnsureStarted();

        time.Advance(s_period);
        Assert.Equal(1, await starts.Reader.ReadAsync().Guard());

        // Five more periods pass while the first tick is still running: none of them may start a tick now.
        for (int i = 0; i < 5; i++)
        {
            time.Advance(s_period);
        }

        Assert.False(starts.Reader.TryRead(out _));
        releaseFirst.SetResult();

        // The delayed tick starts as soon as the slow one ends; the missed periods are not made up.
        Assert.Equal(2, await starts.Reader.ReadAsync().Guard());
        time.Advance(s_period);
        Assert.Equal(3, await starts.Reader.ReadAsync().Guard());
        await loop.StopAsync().Guard();

        Assert.Equal(3, Volatile.Read(ref ticks));
        Assert.Equal(1, Volatile.Read(ref maxActive));
    }

    [Fact]
    public async Task RunImmediately_FirstTickRunsAtStartWithoutWaitingForAPeriod()
    {
        var time = new TimerTrackingTimeProvider();
        var starts = Channel.CreateUnbounded<int>();
        int ticks = 0;
        BackgroundLoopOptions options = Options(time);
        options.RunImmediately = true;
        await using var loop = new BackgroundLoop(_ => { starts.Writer.TryWrite(Interlocked.Increment(ref ticks)); return default; }, options);

        loop.EnsureStarted();

        Assert.Equal(1, await starts.Reader.ReadAsync().Guard());
        time.Advance(s_period);
        Assert.Equal(2, await starts.Reader.ReadAsync().Guard());
    }

    [Fact]
    public async Task RunImmediately_FirstTick_DoesNotRunInlineOnTheCallerOfEnsureStarted()
    {
        using var release = new ManualResetEventSlim();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        BackgroundLoopOptions options = Options(new TimerTrackingTimeProvider());
        options.RunImmediately = true;
        await using var loop = new BackgroundLoop(
            _ =>
            {
                // Blocks its thread: if the tick ran inline, EnsureStarted would never return and the test would hang.
                release.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
                done.TrySetResult();
                return default;
            },
            options);

        loop.EnsureStarted();
        release.Set();

        await done.Task.Guard();
    }

    [Fact]
    public void Ctor_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("tick", () => new BackgroundLoop(null!, Options(new TimerTrackingTimeProvider())));
        Assert.Throws<ArgumentNullException>("options", () => new BackgroundLoop(_ => default, null!));
    }

    [Fact]
    public void Ctor_InvalidOptions_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BackgroundLoop(_ => default, new BackgroundLoopOptions()));
        Assert.Equal("Period", ex.ParamName);
        Assert.Contains("BackgroundLoopOptions.Period", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctor_CopiesOptions_LaterChangesHaveNoEffect()
    {
        var time = new TimerTrackingTimeProvider();
        var starts = Channel.CreateUnbounded<int>();
        BackgroundLoopOptions options = Options(time);
        await using var loop = new BackgroundLoop(_ => { starts.Writer.TryWrite(1); return default; }, options);
        options.Period = TimeSpan.FromHours(1);
        options.Name = "changed";

        loop.EnsureStarted();
        time.Advance(s_period);

        Assert.Equal(1, await starts.Reader.ReadAsync().Guard());
        Assert.NotEqual("changed", loop.Name);
    }

    [Fact]
    public async Task Loop_RunsAsChildOfItsScope_WithCreationSite()
    {
        var time = new TimerTrackingTimeProvider();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var loop = new BackgroundLoop(
            async _ =>
            {
                entered.TrySetResult();
                await release.Task;
            },
            Options(time));
        loop.EnsureStarted();
        time.Advance(s_period);
        await entered.Task.Guard();

        TaskScopeChildInfo child = Assert.Single(loop.Scope!.GetActiveChildren());
        string display = DebuggerDisplayReader.Read(loop);
        release.SetResult();

        Assert.Equal(loop.Name, child.Name);
        Assert.Equal(loop.Name, child.Scope.Name);
        Assert.Equal(nameof(Loop_RunsAsChildOfItsScope_WithCreationSite), child.CallerMemberName);
        Assert.EndsWith("BackgroundLoopTests.cs", child.CallerFilePath, StringComparison.Ordinal);
        Assert.Contains(loop.Name, display, StringComparison.Ordinal);
        Assert.Contains("1 ticks", display, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureStarted_CallerAsyncLocal_DoesNotFlowIntoTicks()
    {
        var time = new TimerTrackingTimeProvider();
        var seen = Channel.CreateUnbounded<string?>();
        var local = new AsyncLocal<string>();
        await using var loop = new BackgroundLoop(_ => { seen.Writer.TryWrite(local.Value); return default; }, Options(time));

        local.Value = "the request that happened to start the loop";
        loop.EnsureStarted();
        local.Value = null!;
        time.Advance(s_period);

        Assert.Null(await seen.Reader.ReadAsync().Guard());
    }

    internal static BackgroundLoopOptions Options(TimeProvider time, [System.Runtime.CompilerServices.CallerMemberName] string name = "") =>
        new() { Name = name, Period = s_period, TimeProvider = time };

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
