using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Scopes;

public sealed class TaskScopeFailureTests
{
    [Fact]
    public async Task FailFast_FirstFailure_CancelsSiblingsAndRethrowsItAsItsOwnType()
    {
        bool siblingSawCancellation = false;

        var ex = await Assert.ThrowsAsync<Boom>(() => TaskScope.RunAsync(async (scope, _) =>
        {
            scope.Spawn(async token =>
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, token);
                }
                catch (OperationCanceledException)
                {
                    siblingSawCancellation = true;
                    throw;
                }
            });
            scope.Spawn(async _ =>
            {
                await Task.Yield();
                throw new Boom("root");
            });
            await Task.CompletedTask;
        }));

        Assert.Equal("root", ex.Message);
        Assert.True(siblingSawCancellation);
        Assert.Contains(nameof(FailFast_FirstFailure_CancelsSiblingsAndRethrowsItAsItsOwnType), ex.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailFast_SecondaryRealFailures_AreKeptAfterRootCause()
    {
        var ex = await Assert.ThrowsAsync<AggregateException>(() => TaskScope.RunAsync(async (scope, _) =>
        {
            scope.Spawn(async token =>
            {
                // Fails for a reason of its own once cancelled: not a cancellation, so it is a real error.
                await token.WhenCancelled();
                throw new InvalidOperationException("cleanup failed");
            });
            scope.Spawn(_ => throw new Boom("root"));
            await Task.CompletedTask;
        }));

        Assert.Collection(
            ex.InnerExceptions,
            e => Assert.Equal("root", Assert.IsType<Boom>(e).Message),
            e => Assert.Equal("cleanup failed", Assert.IsType<InvalidOperationException>(e).Message));
        Assert.Contains("the first is the root cause", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_Failure_DoesNotCancelSiblingsAndAllFailuresAreReported()
    {
        var gate = new Gate();
        var scope = TaskScope.Create(new TaskScopeOptions { FailureMode = TaskScopeFailureMode.Supervise });
        scope.Spawn(_ => throw new Boom("first"));
        scope.Spawn(async _ =>
        {
            await gate.Task;
            throw new Boom("second");
        });
        bool survivorFinished = false;
        scope.Spawn(async token =>
        {
            await gate.Task;
            survivorFinished = !token.IsCancellationRequested;
        });

        Assert.False(scope.CancellationToken.IsCancellationRequested);
        gate.Open();
        var ex = await Assert.ThrowsAsync<AggregateException>(scope.WaitAsync);

        Assert.True(survivorFinished);
        Assert.Equal(["first", "second"], ex.InnerExceptions.Select(e => e.Message));
    }

    [Fact]
    public async Task ChildCancelledByItsOwnToken_IsARealFailure()
    {
        using var own = new CancellationTokenSource();
        own.Cancel();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TaskScope.RunAsync(async (scope, _) =>
        {
            scope.Spawn(async _ =>
            {
                await Task.Yield();
                own.Token.ThrowIfCancellationRequested();
            });
            await Task.CompletedTask;
        }));

        Assert.Equal(own.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task Body_Throws_CountsAsFailureAndCancelsChildren()
    {
        bool childCancelled = false;

        await Assert.ThrowsAsync<Boom>(() => TaskScope.RunAsync(async (scope, _) =>
        {
            scope.Spawn(async token =>
            {
                await token.WhenCancelled();
                childCancelled = true;
            });
            await Task.Yield();
            throw new Boom("body");
        }));

        Assert.True(childCancelled);
    }

    [Fact]
    public async Task ExternalCancellation_ChildrenIgnoreIt_EndsInOperationCanceledExceptionNotSuccess()
    {
        using var external = new CancellationTokenSource();
        var gate = new Gate();
        var scope = TaskScope.Create(cancellationToken: external.Token);
        scope.Spawn(async _ => await gate.Task); // finishes normally, ignoring the token

        external.Cancel();
        gate.Open();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(scope.WaitAsync);
        Assert.Equal(external.Token, ex.CancellationToken);
        Assert.True(scope.IsFinished);
    }

    [Fact]
    public async Task ExternalCancellation_BeforeCreate_EndsInOperationCanceledException()
    {
        using var external = new CancellationTokenSource();
        external.Cancel();

        Task run = TaskScope.RunAsync((scope, token) => ValueTask.CompletedTask, cancellationToken: external.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(run.IsCanceled);
    }

    [Fact]
    public async Task ExternalCancellationRacingRealFailure_FailureIsNeverHidden()
    {
        using var external = new CancellationTokenSource();
        var scope = TaskScope.Create(cancellationToken: external.Token);
        scope.Spawn(async token =>
        {
            await token.WhenCancelled();
            throw new Boom("real failure during cancellation");
        });
        scope.Spawn(async token => await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, token));

        external.Cancel();

        var ex = await Assert.ThrowsAsync<Boom>(scope.WaitAsync);
        Assert.Equal("real failure during cancellation", ex.Message);
    }

    [Fact]
    public async Task Deadline_Passes_EndsInTimeoutExceptionNamingScopeAndDeadline()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var scope = TaskScope.Create(new TaskScopeOptions { Name = "checkout", Timeout = TimeSpan.FromSeconds(5), TimeProvider = clock });
        bool childCancelled = false;
        scope.Spawn(async token =>
        {
            await token.WhenCancelled();
            childCancelled = true;
            token.ThrowIfCancellationRequested();
        });

        Task wait = scope.WaitAsync();
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => wait);
        Assert.True(childCancelled);
        Assert.Contains("'checkout'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("00:00:05", ex.Message, StringComparison.Ordinal);
        Assert.IsNotAssignableFrom<OperationCanceledException>(ex);
    }

    [Fact]
    public async Task Deadline_ScopeFinishesFirst_SucceedsAndDisposesTimer()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var scope = TaskScope.Create(new TaskScopeOptions { Timeout = TimeSpan.FromSeconds(5), TimeProvider = clock });
        scope.Spawn(_ => ValueTask.CompletedTask);

        await scope.WaitAsync();
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.True(scope.IsFinished);
    }

    [Fact]
    public async Task Deadline_RacingRealFailure_FailureWins()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var scope = TaskScope.Create(new TaskScopeOptions { Timeout = TimeSpan.FromSeconds(1), TimeProvider = clock });
        scope.Spawn(async token =>
        {
            await token.WhenCancelled();
            throw new Boom("failed while timing out");
        });

        clock.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<Boom>(scope.WaitAsync);
    }

    [Fact]
    public async Task Cancel_ByOwner_EndsNormallyAndDropsChildCancellations()
    {
        var scope = TaskScope.Create();
        scope.Spawn(async token => await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, token));
        scope.Spawn(async token => await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, token));

        scope.Cancel();
        scope.Cancel();

        await scope.WaitAsync();
    }

    [Fact]
    public async Task Spawn_DelegateThrowsSynchronously_IsRecordedAsFailure()
    {
        static ValueTask Throws(CancellationToken token) => throw new Boom("sync");

        var ex = await Assert.ThrowsAsync<Boom>(() => TaskScope.RunAsync((scope, _) =>
        {
            scope.Spawn(Throws);
            return ValueTask.CompletedTask;
        }));

        Assert.Equal("sync", ex.Message);
    }

    [Fact]
    public async Task CancellationCallbackThrows_IsReportedAsFailure()
    {
        var scope = TaskScope.Create();
        using CancellationTokenRegistration registration = scope.CancellationToken.Register(() => throw new Boom("callback"));

        scope.Cancel();

        var ex = await Assert.ThrowsAsync<Boom>(scope.WaitAsync);
        Assert.Equal("callback", ex.Message);
    }

    [Fact]
    public async Task Body_AwaitsFailedChild_TheSameExceptionIsReportedOnce()
    {
        var ex = await Assert.ThrowsAsync<Boom>(() => TaskScope.RunAsync(async (scope, _) =>
        {
            Task<int> child = scope.Spawn<int>(async _ =>
            {
                await Task.Yield();
                throw new Boom("child");
            });
            return await child;
        }));

        Assert.Equal("child", ex.Message);
    }
}
