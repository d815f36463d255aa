using System;
using System.Diagnostics;
using System.Reflection;
using System.Threading.Channels;
using System.Threading.Tasks;
using Leakproof.Tests.Helpers;

namespace Leakproof.Tests.Channels;

public sealed class ScopedChannelTests
{
    [Fact]
    public void CreateChannel_NullOrFinishedScope_Throws()
    {
        Assert.Throws<ArgumentNullException>("scope", () => TaskScopeChannelExtensions.CreateChannel<int>(null!));
        TaskScope scope = TaskScope.Create();
        Assert.True(scope.WaitAsync().IsCompletedSuccessfully);
        Assert.Throws<InvalidOperationException>(() => scope.CreateChannel<int>());
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task Close_ProducerBlockedWriting_FailsFastWithChannelClosedException()
    {
        TaskScope scope = TaskScope.Create();
        ScopedChannel<int> channel = scope.CreateChannel<int>();
        Assert.True(channel.Writer.TryWrite(1)); // fills the one-slot buffer
        ValueTask blocked = channel.Writer.WriteAsync(2);
        Assert.False(blocked.IsCompleted);
        Assert.False(channel.IsClosed);

        channel.Close();

        Assert.True(channel.IsClosed);
        await Assert.ThrowsAsync<ChannelClosedException>(() => blocked.AsTask());
        Assert.False(channel.Writer.TryWrite(3));
        await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Writer.WriteAsync(4).AsTask());
        Assert.False(await channel.Reader.WaitToReadAsync()); // the undelivered item was drained
        await channel.Completion;
        await scope.WaitAsync();
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task Close_WithError_WritersGetItAsTheInnerException()
    {
        TaskScope scope = TaskScope.Create();
        ScopedChannel<int> channel = scope.CreateChannel<int>();
        Assert.True(channel.Writer.TryWrite(1));
        ValueTask blocked = channel.Writer.WriteAsync(2);
        var error = new InvalidOperationException("consumer died");

        channel.Close(error);

        Assert.Same(error, (await Assert.ThrowsAsync<ChannelClosedException>(() => blocked.AsTask())).InnerException);
        Assert.Same(error, await Assert.ThrowsAsync<InvalidOperationException>(() => channel.Completion));
        Assert.True(channel.Completion.IsFaulted);
        await scope.WaitAsync();
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task Close_UndeliveredItems_AreDisposed()
    {
        TaskScope scope = TaskScope.Create();
        ScopedChannel<TrackedResource> channel = scope.CreateChannel<TrackedResource>(new ScopedChannelOptions { Capacity = 3 });
        var items = new[] { new TrackedResource(1), new TrackedResource(2), new TrackedResource(3) };
        foreach (TrackedResource item in items)
        {
            Assert.True(channel.Writer.TryWrite(item));
        }

        Assert.True(channel.Reader.TryRead(out TrackedResource? delivered));
        channel.Close();
        channel.Close(); // idempotent

        Assert.False(delivered!.IsDisposed); // the reader owns what it took
        Assert.Equal(1, items[1].DisposeCount);
        Assert.Equal(1, items[2].DisposeCount);
        await channel.Completion;
        await scope.WaitAsync();
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task Close_ItemWithSlowAsyncDisposal_CompletionWaitsForIt()
    {
        TaskScope scope = TaskScope.Create();
        ScopedChannel<SlowAsyncResource> channel = scope.CreateChannel<SlowAsyncResource>();
        var item = new SlowAsyncResource();
        Assert.True(channel.Writer.TryWrite(item));

        channel.Close();

        Assert.True(item.DisposeStarted);
        Assert.False(channel.Completion.IsCompleted);
        item.FinishDisposal.SetResult();
        await channel.Completion;
        await scope.WaitAsync();
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task Close_DisposalFails_CompletionFaultsWithTheFailures()
    {
        TaskScope scope = TaskScope.Create();
        ScopedChannel<ThrowingResource> channel = scope.CreateChannel<ThrowingResource>();
        Assert.True(channel.Writer.TryWrite(new ThrowingResource()));

        channel.Close();

        var ex = await Assert.ThrowsAsync<AggregateException>(() => channel.Completion);
        Assert.IsType<InvalidOperationException>(Assert.Single(ex.InnerExceptions));
        await scope.WaitAsync();
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task Close_ItemDisposeCallsBackIntoTheChannelFromAnotherThread_DoesNotDeadlock()
    {
        TaskScope scope = TaskScope.Create();
        ScopedChannel<CallbackResource> channel = scope.CreateChannel<CallbackResource>();
        bool? seenClosed = null;
        Assert.True(channel.Writer.TryWrite(new CallbackResource(() =>
        {
            // Blocks on another thread taking the channel's lock: deadlocks if dispose runs under it.
            Task<bool> read = Task.Run(() => channel.IsClosed);
            seenClosed = read.Wait(TimeSpan.FromSeconds(10)) ? read.Result : null;
        })));

        channel.Close();

        Assert.True(seenClosed);
        await scope.WaitAsync();
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task Completion_WriterCompletedAndEverythingRead_CompletesSuccessfully()
    {
        TaskScope scope = TaskScope.Create();
        ScopedChannel<int> channel = scope.CreateChannel<int>();
        Assert.True(channel.Writer.TryWrite(1));
        channel.Writer.Complete();
        Assert.False(channel.Completion.IsCompleted);

        Assert.Equal(1, await channel.Reader.ReadAsync());
        await channel.Completion;
        Assert.False(channel.IsClosed);
        await scope.WaitAsync();
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task ScopeCancelled_ProducerBlockedWithoutAToken_IsReleased()
    {
        TaskScope scope = TaskScope.Create();
        ScopedChannel<int> channel = scope.CreateChannel<int>();
        Assert.True(channel.Writer.TryWrite(1));
        Task blocked = channel.Writer.WriteAsync(2).AsTask(); // no token: only the channel can release it

        scope.Cancel();

        Assert.True(channel.IsClosed);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => channel.Completion);
        await scope.WaitAsync();
    }

    [Fact(Timeout = TestTimeouts.HangGuard)]
    public async Task ScopeFinished_BufferedItemsNobodyRead_AreDisposed()
    {
        var item = new TrackedResource();
        ScopedChannel<TrackedResource>? channel = null;
        await TaskScope.RunAsync((scope, _) =>
        {
            channel = scope.CreateChannel<TrackedResource>();
            Assert.True(channel.Writer.TryWrite(item));
            return default;
        });

        Assert.True(channel!.IsClosed);
        Assert.Equal(1, item.DisposeCount);
    }

    [Theory(Timeout = TestTimeouts.HangGuard)]
    [InlineData(BoundedChannelFullMode.DropOldest, 1)]
    [InlineData(BoundedChannelFullMode.DropNewest, 2)]
    [InlineData(BoundedChannelFullMode.DropWrite, 3)]
    public async Task Write_DropModeWhenFull_DisposesTheDroppedItem(BoundedChannelFullMode mode, int droppedId)
    {
        TaskScope scope = TaskScope.Create();
        ScopedChannel<TrackedResource> channel = scope.CreateChannel<TrackedResource>(new ScopedChannelOptions { Capacity = 2, FullMode = mode });
        var items = new[] { new TrackedResource(1), new TrackedResource(2), new TrackedResource(3) };
        foreach (TrackedResource item in items)
        {
            Assert.True(channel.Writer.TryWrite(item));
        }

        Assert.Equal([droppedId], Array.ConvertAll(Array.FindAll(items, i => i.IsDisposed), i => i.Id));
        channel.Close();
        Assert.All(items, i => Assert.Equal(1, i.DisposeCount));
        await scope.WaitAsync();
    }

    [Fact]
    public void DebuggerDisplay_NamesTheStateWithoutTakingTheLock()
    {
        TaskScope scope = TaskScope.Create();
        ScopedChannel<int> channel = scope.CreateChannel<int>();
        var attribute = typeof(ScopedChannel<int>).GetCustomAttribute<DebuggerDisplayAttribute>();
        Assert.Equal("{DebuggerDisplay,nq}", attribute!.Value);
        PropertyInfo property = typeof(ScopedChannel<int>).GetProperty("DebuggerDisplay", BindingFlags.Instance | BindingFlags.NonPublic)!;

        Assert.Equal("ScopedChannel<Int32>: 0 producers, 0 consumers, open", property.GetValue(channel));
        channel.Close();
        Assert.Equal("ScopedChannel<Int32>: 0 producers, 0 consumers, closed", property.GetValue(channel));
    }

    private sealed class SlowAsyncResource : IAsyncDisposable
    {
        public bool DisposeStarted { get; private set; }

        public TaskCompletionSource FinishDisposal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask DisposeAsync()
        {
            DisposeStarted = true;
            return new ValueTask(FinishDisposal.Task);
        }
    }

    private sealed class ThrowingResource : IDisposable
    {
        public void Dispose() => throw new InvalidOperationException("dispose failed");
    }

    private sealed class CallbackResource(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
