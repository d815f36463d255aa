using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Loops;

public sealed class BackgroundLoopErrorTests
{
    private static readonly TimeSpan s_period = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task OnError_TickThrows_ReceivesExceptionNameAndTickNumber_AndLoopGoesOn()
    {
        var time = new TimerTrackingTimeProvider();
        var errors = Channel.CreateUnbounded<OnBackgroundLoopErrorArguments>();
        var successes = Channel.CreateUnbounded<int>();
        var boom = new InvalidOperationException("tick 2 failed");
        int ticks = 0;
        BackgroundLoopOptions options = BackgroundLoopTests.Options(time);
        options.OnError = args =>
        {
            errors.Writer.TryWrite(args);
            return default;
        };
        await using var loop = new BackgroundLoop(
            ct =>
            {
                int n = Interlocked.Increment(ref ticks);
                if (n == 2)
                {
                    throw boom; // Thrown synchronously, not from an awaited task: must be caught the same way.
                }

                successes.Writer.TryWrite(n);
                return default;
            },
            options);
        loop.EnsureStarted();

        time.Advance(s_period);
        Assert.Equal(1, await successes.Reader.ReadAsync().Guard());
        time.Advance(s_period);
        OnBackgroundLoopErrorArguments error = await errors.Reader.ReadAsync().Guard();
        time.Advance(s_period);
        Assert.Equal(3, await successes.Reader.ReadAsync().Guard());

        Assert.Same(boom, error.Exception);
        Assert.Equal(loop.Name, error.LoopName);
        Assert.Equal(2, error.TickNumber);
        Assert.False(error.CancellationToken.IsCancellationRequested);
        Assert.True(loop.IsRunning);
    }

    [Fact]
    public async Task OnError_TickThrowsOperationCanceledWhileNotStopping_IsAFailure()
    {
        var time = new TimerTrackingTimeProvider();
        var errors = Channel.CreateUnbounded<OnBackgroundLoopErrorArguments>();
        BackgroundLoopOptions options = BackgroundLoopTests.Options(time);
        options.OnError = args =>
        {
            errors.Writer.TryWrite(args);
            return default;
        };
        await using var loop = new BackgroundLoop(
            async _ =>
            {
                await Task.Yield();
                throw new TaskCanceledException("an HTTP call timed out");
            },
            options);
        loop.EnsureStarted();

        time.Advance(s_period);

        OnBackgroundLoopErrorArguments error = await errors.Reader.ReadAsync().Guard();
        Assert.IsType<TaskCanceledException>(error.Exception);
        Assert.True(loop.IsRunning);
    }

    [Fact]
    public async Task OnError_HandlerThrows_EndsLoopAndStopAsyncRethrows()
    {
        var time = new TimerTrackingTimeProvider();
        var handlerFailure = new InvalidOperationException("the error handler is broken");
        var handlerCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        BackgroundLoopOptions options = BackgroundLoopTests.Options(time);
        options.OnError = _ =>
        {
            handlerCalled.TrySetResult();
            throw handlerFailure;
        };
        var loop = new BackgroundLoop(_ => throw new FormatException(), options);
        loop.EnsureStarted();

        time.Advance(s_period);
        await handlerCalled.Task.Guard();

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.StopAsync().Guard());
        Assert.Same(handlerFailure, thrown);
        Assert.False(loop.IsRunning);
        await loop.DisposeAsync().Guard(); // Already reported by StopAsync: not thrown twice.
        Assert.Equal(0, time.LiveTimers);
    }

    [Fact]
    public async Task DisposeAsync_LoopEndedByThrowingHandlerAndNeverStopped_RethrowsTheFailure()
    {
        var time = new TimerTrackingTimeProvider();
        var handlerCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        BackgroundLoopOptions options = BackgroundLoopTests.Options(time);
        options.OnError = _ =>
        {
            handlerCalled.TrySetResult();
            throw new InvalidOperationException("handler");
        };
        var loop = new BackgroundLoop(_ => throw new FormatException(), options);
        loop.EnsureStarted();
        time.Advance(s_period);
        await handlerCalled.Task.Guard();

        await Assert.ThrowsAsync<InvalidOperationException>(() => loop.DisposeAsync().Guard());
    }

    [Fact]
    public async Task Metrics_EachTick_CountedByOutcomeWithErrorType()
    {
        using var recorder = new MeasurementRecorder("leakproof.loop.tick.completed");
        var time = new TimerTrackingTimeProvider();
        var errors = Channel.CreateUnbounded<long>();
        var successes = Channel.CreateUnbounded<int>();
        int ticks = 0;
        BackgroundLoopOptions options = BackgroundLoopTests.Options(time);
        options.OnError = args =>
        {
            errors.Writer.TryWrite(args.TickNumber);
            return default;
        };
        await using var loop = new BackgroundLoop(
            _ =>
            {
                int n = Interlocked.Increment(ref ticks);
                if (n == 2)
                {
                    throw new TimeoutException();
                }

                successes.Writer.TryWrite(n);
                return default;
            },
            options);
        loop.EnsureStarted();

        time.Advance(s_period);
        await successes.Reader.ReadAsync().Guard();
        time.Advance(s_period);
        await errors.Reader.ReadAsync().Guard();
        time.Advance(s_period);
        await successes.Reader.ReadAsync().Guard();
        await loop.StopAsync().Guard();

        IReadOnlyList<RecordedMeasurement> measurements = recorder.Where("leakproof.loop.name", loop.Name);
        Assert.Equal(3, measurements.Count);
        Assert.All(measurements, m => Assert.Equal(1, m.Value));
        Assert.Equal(["success", "failure", "success"], measurements.Select(m => (string)m.Tag("leakproof.outcome")!));
        Assert.Equal(typeof(TimeoutException).FullName, measurements[1].Tag("error.type"));
        Assert.Null(measurements[0].Tag("error.type"));
    }

    [Fact]
    public async Task Metrics_TickCancelledByStop_CountedAsCanceledAndNotReportedAsError()
    {
        using var recorder = new MeasurementRecorder("leakproof.loop.tick.completed");
        var time = new TimerTrackingTimeProvider();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int errors = 0;
        BackgroundLoopOptions options = BackgroundLoopTests.Options(time);
        options.OnError = _ =>
        {
            Interlocked.Increment(ref errors);
            return default;
        };
        var loop = new BackgroundLoop(
            async ct =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, time, ct);
            },
            options);
        loop.EnsureStarted();
        time.Advance(s_period);
        await entered.Task.Guard();

        await loop.StopAsync().Guard();

        RecordedMeasurement tick = Assert.Single(recorder.Where("leakproof.loop.name", loop.Name));
        Assert.Equal("canceled", tick.Tag("leakproof.outcome"));
        Assert.Equal(0, Volatile.Read(ref errors));
        Assert.Equal(0, time.LiveTimers);
    }
}
