using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Leakproof.Polly.Tests;

public sealed class TaskScopeResilienceExtensionsTests
{
    private static readonly TimeSpan s_second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task SpawnResilient_ExponentialBackoff_RetriesOnTheScopesFakeClock()
    {
        var time = new TimerTrackingTimeProvider();
        var attempts = Channel.CreateUnbounded<int>();
        int count = 0;
        await using TaskScope scope = TaskScope.Create(new TaskScopeOptions { Name = "retry", TimeProvider = time });
        ResiliencePipeline pipeline = scope.CreateResiliencePipelineBuilder()
            .AddRetry(Retry(maxAttempts: 3, DelayBackoffType.Exponential))
            .Build();

        Task<int> result = scope.SpawnResilient(pipeline, _ =>
        {
            int attempt = Interlocked.Increment(ref count);
            attempts.Writer.TryWrite(attempt);
            return attempt < 4 ? throw new InvalidOperationException($"attempt {attempt}") : new ValueTask<int>(attempt * 10);
        });

        Assert.Equal(1, await attempts.Reader.ReadAsync().Guard());
        foreach ((int attempt, TimeSpan backoff) in new[] { (2, s_second), (3, 2 * s_second), (4, 4 * s_second) })
        {
            Assert.Equal(backoff, await time.NextTimerAsync()); // Polly waits on the scope's clock, doubling each time.
            time.Advance(backoff - TimeSpan.FromMilliseconds(1));
            Assert.False(attempts.Reader.TryRead(out _));
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(attempt, await attempts.Reader.ReadAsync().Guard());
        }

        Assert.Equal(40, await result.Guard());
        await scope.WaitAsync().Guard();
    }

    [Fact]
    public async Task SpawnResilient_ScopeCancelledDuringBackoff_StopsRetryingAndLeavesNoTimer()
    {
        var time = new TimerTrackingTimeProvider();
        int attempts = 0;
        TaskScope scope = TaskScope.Create(new TaskScopeOptions { TimeProvider = time });
        ResiliencePipeline pipeline = scope.CreateResiliencePipelineBuilder()
            .AddRetry(Retry(maxAttempts: int.MaxValue, DelayBackoffType.Constant))
            .Build();
        scope.SpawnResilient(pipeline, _ =>
        {
            Interlocked.Increment(ref attempts);
            return ValueTask.FromException(new InvalidOperationException("always"));
        });
        Assert.Equal(s_second, await time.NextTimerAsync());

        scope.Cancel();

        await scope.WaitAsync().Guard(); // Without advancing the clock: the backoff delay was cancelled.
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, Volatile.Read(ref attempts));
        Assert.Equal(0, time.LiveTimers);
    }

    [Fact]
    public async Task PipelineWithoutScope_OwnerGone_KeepsRetrying()
    {
        // The leaky contrast: the same pipeline, fired and forgotten with no token, outlives whoever started it.
        var time = new TimerTrackingTimeProvider();
        int attempts = 0;
        ResiliencePipeline pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(Retry(maxAttempts: int.MaxValue, DelayBackoffType.Constant))
            .Build();
        _ = pipeline.ExecuteAsync(
            _ =>
            {
                Interlocked.Increment(ref attempts);
                return ValueTask.FromException(new InvalidOperationException("always"));
            },
            CancellationToken.None).AsTask();

        for (int i = 0; i < 3; i++)
        {
            await time.NextTimerAsync();
            time.Advance(s_second);
        }

        await time.NextTimerAsync();
        Assert.Equal(4, Volatile.Read(ref attempts));
        Assert.Equal(1, time.LiveTimers); // Caught: a backoff timer is alive, and nobody can cancel it.
    }

    [Fact]
    public async Task SpawnResilient_RetriesExhausted_ScopeFailsWithLastErrorAndCancelsSiblings()
    {
        var time = new TimerTrackingTimeProvider();
        var siblingCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int attempts = 0;
        TaskScope scope = TaskScope.Create(new TaskScopeOptions { TimeProvider = time });
        scope.Spawn(async ct =>
        {
            try
            {
                await new TaskCompletionSource().Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                siblingCancelled.TrySetResult();
                throw;
            }
        });
        ResiliencePipeline pipeline = scope.CreateResiliencePipelineBuilder()
            .AddRetry(Retry(maxAttempts: 1, DelayBackoffType.Constant))
            .Build();

        scope.SpawnResilient(pipeline, _ => ValueTask.FromException(new InvalidOperationException($"attempt {Interlocked.Increment(ref attempts)}")));
        await time.NextTimerAsync();
        time.Advance(s_second);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => scope.WaitAsync().Guard());
        Assert.Equal("attempt 2", ex.Message);
        await siblingCancelled.Task.Guard();
    }

    [Fact]
    public async Task SpawnResilient_Hedging_LoserIsCancelledAndAwaitedBeforeTheResult()
    {
        var time = new TimerTrackingTimeProvider();
        var slowStarted = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool slowEnded = false;
        int attempts = 0;
        TaskScope scope = TaskScope.Create(new TaskScopeOptions { TimeProvider = time });
        ResiliencePipeline<int> pipeline = scope.CreateResiliencePipelineBuilder<int>()
            .AddHedging(new() { MaxHedgedAttempts = 1, Delay = s_second })
            .Build();

        Task<int> result = scope.SpawnResilient(pipeline, async ct =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                slowStarted.TrySetResult(ct);
                try
                {
                    await new TaskCompletionSource().Task.WaitAsync(ct); // A replica that never answers.
                    return 1;
                }
                finally
                {
                    Volatile.Write(ref slowEnded, true);
                }
            }

            return 2;
        });
        CancellationToken slowToken = await slowStarted.Task.Guard();
        Assert.Equal(s_second, await time.NextTimerAsync()); // The hedging delay, on the scope's clock.
        time.Advance(s_second);

        Assert.Equal(2, await result.Guard());
        Assert.True(slowToken.IsCancellationRequested);
        Assert.True(Volatile.Read(ref slowEnded)); // Not left running: it ended before the result was delivered.
        await scope.WaitAsync().Guard();
        Assert.Empty(scope.GetActiveChildren());
    }

    [Fact]
    public async Task SpawnResilient_PerAttemptTimeout_CancelsAndAwaitsTheAttemptThenRetries()
    {
        var time = new TimerTrackingTimeProvider();
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool firstEnded = false;
        bool firstEndedBeforeSecond = false;
        int attempts = 0;
        TaskScope scope = TaskScope.Create(new TaskScopeOptions { TimeProvider = time });
        ResiliencePipeline pipeline = scope.CreateResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 1,
                Delay = s_second,
                BackoffType = DelayBackoffType.Constant,
                ShouldHandle = new PredicateBuilder().Handle<TimeoutRejectedException>(),
            })
            .AddTimeout(2 * s_second)
            .Build();

        Task<int> result = scope.SpawnResilient(pipeline, async ct =>
        {
            int attempt = Interlocked.Increment(ref attempts);
            if (attempt == 1)
            {
                firstStarted.TrySetResult();
                try
                {
                    await new TaskCompletionSource().Task.WaitAsync(ct);
                }
                finally
                {
                    Volatile.Write(ref firstEnded, true);
                }
            }

            firstEndedBeforeSecond = Volatile.Read(ref firstEnded);
            return attempt;
        });
        await firstStarted.Task.Guard();
        Assert.Equal(2 * s_second, await time.NextTimerAsync()); // The first attempt's timeout.
        time.Advance(2 * s_second);
        Assert.Equal(s_second, await time.NextTimerAsync()); // The retry's backoff.
        time.Advance(s_second);

        Assert.Equal(2, await result.Guard());
        Assert.True(firstEndedBeforeSecond);
        await scope.WaitAsync().Guard();
    }

    [Fact]
    public async Task SpawnResilient_Name_IsChildNameAndOperationKey_AndCreationSiteIsTheCaller()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var operationKey = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskScope scope = TaskScope.Create();
        ResiliencePipeline pipeline = scope.CreateResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 1,
                Delay = TimeSpan.Zero,
                OnRetry = args =>
                {
                    operationKey.TrySetResult(args.Context.OperationKey);
                    return default;
                },
            })
            .Build();
        int attempts = 0;

        scope.SpawnResilient(
            pipeline,
            async _ =>
            {
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    throw new InvalidOperationException();
                }

                await release.Task;
            },
            name: "fetch-prices");

        Assert.Equal("fetch-prices", await operationKey.Task.Guard());
        TaskScopeChildInfo child = Assert.Single(scope.GetActiveChildren());
        Assert.Equal("fetch-prices", child.Name);
        Assert.Equal(nameof(SpawnResilient_Name_IsChildNameAndOperationKey_AndCreationSiteIsTheCaller), child.CallerMemberName);
        Assert.EndsWith("TaskScopeResilienceExtensionsTests.cs", child.CallerFilePath, StringComparison.Ordinal);
        release.SetResult();
        await scope.WaitAsync().Guard();
    }

    [Fact]
    public void SpawnResilient_NullArguments_Throw()
    {
        TaskScope scope = TaskScope.Create();
        ResiliencePipeline pipeline = ResiliencePipeline.Empty;

        Assert.Throws<ArgumentNullException>("scope", () => TaskScopeResilienceExtensions.SpawnResilient(null!, pipeline, _ => default));
        Assert.Throws<ArgumentNullException>("pipeline", () => scope.SpawnResilient((ResiliencePipeline)null!, _ => default));
        Assert.Throws<ArgumentNullException>("work", () => scope.SpawnResilient(pipeline, (Func<CancellationToken, ValueTask>)null!));
        Assert.Throws<ArgumentNullException>("work", () => { _ = scope.SpawnResilient(ResiliencePipeline<int>.Empty, null!); });
        Assert.Throws<ArgumentNullException>("scope", () => TaskScopeResilienceExtensions.CreateResiliencePipelineBuilder(null!));
    }

    [Fact]
    public void CreateResiliencePipelineBuilder_UsesScopesClockAndName()
    {
        var time = new TimerTrackingTimeProvider();
        TaskScope scope = TaskScope.Create(new TaskScopeOptions { Name = "orders", TimeProvider = time });

        ResiliencePipelineBuilder builder = scope.CreateResiliencePipelineBuilder();
        ResiliencePipelineBuilder<int> typed = scope.CreateResiliencePipelineBuilder<int>();

        Assert.Same(time, builder.TimeProvider);
        Assert.Same(time, typed.TimeProvider);
        Assert.Equal("orders", builder.Name);
        Assert.Equal("orders", typed.Name);
    }

    private static RetryStrategyOptions Retry(int maxAttempts, DelayBackoffType backoff) => new()
    {
        MaxRetryAttempts = maxAttempts,
        Delay = s_second,
        BackoffType = backoff,
        UseJitter = false,
        ShouldHandle = new PredicateBuilder().Handle<InvalidOperationException>(),
    };
}
