using System;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Leakproof.Census.Tests.Support;

namespace Leakproof.Census.Tests.Census;

[Collection(ProcessCensusCollection.Name)]
public sealed class AsyncCensusTests
{
    public AsyncCensusTests() => AsyncCensus.Enable();

    [Fact]
    public async Task Capture_AwaitOnTcsNeverCompleted_ReportsAwaitSiteFileLineAndTarget()
    {
        string owner = TestOwner.Begin();
        var never = new TaskCompletionSource();
        Task pending = Shapes.WaitAsync(never.Task);

        CensusSnapshot census = AsyncCensus.Capture(TestOwner.Capture());

        PendingOperation operation = Assert.Single(census.Operations, o => o.Owner == owner && o.Kind == PendingOperationKind.AsyncMethod);
        Assert.Equal(pending.Id, operation.Id);
        Assert.Equal("Leakproof.Census.Tests.Support.Shapes.WaitAsync", operation.Description);
        Assert.Equal(Shapes.WaitLine, operation.AwaitSite!.Line);
        Assert.EndsWith("Shapes.cs", operation.AwaitSite.File, StringComparison.Ordinal);
        Assert.Equal(0, operation.AwaitSite.State);
        Assert.Equal(PendingOperationKind.TaskCompletionSource, operation.Awaiting!.Kind);
        Assert.False(operation.IsRunning);
        never.SetResult();
        await pending;

        CensusSnapshot after = AsyncCensus.Capture(TestOwner.Capture());
        Assert.DoesNotContain(after.Operations, o => o.Id == pending.Id);
    }

    [Fact]
    public async Task Capture_NestedAwaits_BuildsAsyncStackAndAwaitedByLinks()
    {
        string owner = TestOwner.Begin();
        var never = new TaskCompletionSource();
        Task outer = Shapes.OuterAsync(never.Task);

        CensusSnapshot census = AsyncCensus.Capture(TestOwner.Capture());

        PendingOperation inner = Assert.Single(census.Operations, o => o.Owner == owner && o.Description.EndsWith(".WaitAsync", StringComparison.Ordinal));
        PendingOperation outerOperation = Assert.Single(census.Operations, o => o.Id == outer.Id);
        Assert.Equal(outer.Id, inner.AwaitedById);
        Assert.Equal(PendingOperationKind.AsyncMethod, outerOperation.Awaiting!.Kind);
        Assert.Equal(inner.Id, outerOperation.Awaiting.OperationId);
        Assert.True(inner.AsyncStack.Count >= 2);
        Assert.Equal(Shapes.WaitLine, inner.AsyncStack[0].Line);
        Assert.Equal(Shapes.OuterLine, inner.AsyncStack[1].Line);
        CensusChainGroup chain = Assert.Single(census.Chains, c => c.OperationIds.Contains(never.Task.Id));
        Assert.Equal("TaskCompletionSource", chain.Frames[0].Method);
        Assert.Equal(Shapes.WaitLine, chain.Frames[1].Line);
        Assert.Equal(Shapes.OuterLine, chain.Frames[2].Line);
        never.SetResult();
        await outer;
    }

    [Fact]
    public async Task Capture_ManyAtOneSite_GroupsWithCountAndAges()
    {
        _ = TestOwner.Begin();
        var never = new TaskCompletionSource();
        Task[] pending = [.. Enumerable.Range(0, 5).Select(_ => Shapes.WaitAsync(never.Task))];

        CensusSnapshot census = AsyncCensus.Capture(TestOwner.Capture());

        var ids = pending.Select(t => (long)t.Id).ToHashSet();
        CensusGroup group = Assert.Single(census.Groups, g => g.OperationIds.Any(ids.Contains));
        Assert.True(group.Count >= 5);
        Assert.Equal(Shapes.WaitLine, group.Site!.Line);
        Assert.True(group.OldestAge >= group.YoungestAge);
        Assert.Contains(census.Groups, g => g.Count >= 5);
        never.SetResult();
        await Task.WhenAll(pending);
    }

    [Fact]
    public async Task Capture_GroupsOnly_GivesTheFullCensusGroupsWithoutOperations()
    {
        _ = TestOwner.Begin();
        var never = new TaskCompletionSource();
        Task[] outers = [.. Enumerable.Range(0, 3).Select(_ => Shapes.OuterAsync(never.Task))];
        var outerIds = outers.Select(t => (long)t.Id).ToHashSet();

        CensusSnapshot full = AsyncCensus.Capture(new CensusCaptureOptions { IncludeAsyncStacks = false, ResolveSourceLines = true });
        CensusSnapshot groupsOnly = AsyncCensus.Capture(new CensusCaptureOptions { IncludeAsyncStacks = false, ResolveSourceLines = true, IncludeOperations = false });

        Assert.Empty(groupsOnly.Operations);
        Assert.Empty(groupsOnly.Chains);
        CensusGroup expected = Assert.Single(full.Groups, g => g.OperationIds.Any(outerIds.Contains));
        CensusGroup actual = Assert.Single(groupsOnly.Groups, g => g.OperationIds.Any(outerIds.Contains));
        Assert.Equal(expected.Key, actual.Key);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(Shapes.OuterLine, actual.Site!.Line);
        Assert.Equal(expected.Site!.Method, actual.Site.Method);
        Assert.Superset(outerIds, actual.OperationIds.ToHashSet());
        Assert.Equal(actual.Count, actual.OperationIds.Count);
        Assert.True(actual.OldestAge >= actual.YoungestAge);
        Assert.Equal(PendingOperationKind.AsyncMethod, actual.Awaiting!.Kind);
        Assert.Equal(expected.Awaiting!.TypeName, actual.Awaiting.TypeName);
        Assert.NotNull(actual.Awaiting.OperationId); // The awaited inner method is listed, so its id is known.
        CensusGroup inner = Assert.Single(groupsOnly.Groups, g => g.OperationIds.Contains(actual.Awaiting.OperationId!.Value));
        Assert.Equal(Shapes.WaitLine, inner.Site!.Line);
        Assert.Equal(PendingOperationKind.TaskCompletionSource, inner.Awaiting!.Kind);
        never.SetResult();
        await Task.WhenAll(outers);
    }

    [Fact]
    public async Task Capture_GroupsOnlyButStacksAsked_StillListsOperations()
    {
        _ = TestOwner.Begin();
        var never = new TaskCompletionSource();
        Task pending = Shapes.WaitAsync(never.Task);

        CensusSnapshot census = AsyncCensus.Capture(new CensusCaptureOptions { IncludeOperations = false, IncludeAsyncStacks = true });

        Assert.Contains(census.Operations, o => o.Id == pending.Id);
        never.SetResult();
        await pending;
    }

    [Fact]
    public async Task Capture_BlockedChannelWriter_ReportsChannelOperation()
    {
        string owner = TestOwner.Begin();
        Channel<int> channel = Channel.CreateBounded<int>(1);
        channel.Writer.TryWrite(1);
        Task writer = Shapes.WriteAsync(channel.Writer, 2);

        CensusSnapshot census = AsyncCensus.Capture(TestOwner.Capture());

        PendingOperation operation = Assert.Single(census.Operations, o => o.Id == writer.Id);
        Assert.Equal(owner, operation.Owner);
        Assert.Equal(PendingOperationKind.ChannelOperation, operation.Awaiting!.Kind);
        Assert.Contains("Channels", operation.Awaiting.TypeName, StringComparison.Ordinal);
        Assert.Equal(Shapes.WriteLine, operation.AwaitSite!.Line);
        await channel.Reader.ReadAsync();
        await writer;
    }

    [Fact]
    public async Task Capture_DelayAndWhenAny_ClassifiesKinds()
    {
        string owner = TestOwner.Begin();
        using var cts = new CancellationTokenSource();
        // The system clock's delay is the runtime's timer promise (a fake clock's delay is a plain promise); it is cancelled below.
        Task delay = Task.Delay(TimeSpan.FromHours(1), TimeProvider.System, cts.Token);
        var never = new TaskCompletionSource();
        Task<Task> any = Task.WhenAny(delay, never.Task);

        CensusSnapshot census = AsyncCensus.Capture(TestOwner.Capture());

        Assert.Contains(census.Operations, o => o.Id == any.Id && o.Kind == PendingOperationKind.WhenAllOrAny);
        PendingOperation delayOperation = census.Operations.Single(o => o.Id == delay.Id);
        Assert.Equal(PendingOperationKind.Delay, delayOperation.Kind);
        Assert.Equal(any.Id, delayOperation.AwaitedById);
        never.SetResult();
        await any;
        await cts.CancelAsync();
        _ = owner;
    }

    [Fact]
    public async Task Capture_ScopeChild_ReportsCreationSiteScopeAndAge()
    {
        string owner = TestOwner.Begin();
        var never = new TaskCompletionSource();
        TaskScope scope = TaskScope.Create(new TaskScopeOptions { Name = "census-test" });
        int spawnLine = Here.Line(); scope.Spawn(async ct => await Shapes.WaitAsync(never.Task), "waiter");

        CensusSnapshot census = AsyncCensus.Capture(TestOwner.Capture());

        PendingOperation child = Assert.Single(census.Operations, o => o.ScopeName == "census-test" && o.Owner == owner);
        Assert.Equal(PendingOperationKind.ScopeChild, child.Kind);
        Assert.Equal(spawnLine, child.CreatedAt!.Line);
        Assert.Equal(nameof(Capture_ScopeChild_ReportsCreationSiteScopeAndAge), child.CreatedAt.Member);
        PendingOperation waiter = Assert.Single(census.Operations, o => o.AwaitedById == child.Id);
        Assert.Contains(waiter.AsyncStack, f => f.Line == spawnLine && f.Method.Contains("census-test", StringComparison.Ordinal));
        never.SetResult();
        await scope.WaitAsync();
        await scope.DisposeAsync();
    }

    [Fact]
    public async Task Capture_Text_ShowsGroupsAndOperations()
    {
        _ = TestOwner.Begin();
        var never = new TaskCompletionSource();
        Task pending = Shapes.WaitAsync(never.Task);

        CensusSnapshot census = AsyncCensus.Capture(TestOwner.Capture());
        string groups = census.ToText(CensusTextDetail.Groups);
        string operations = census.ToText(CensusTextDetail.Operations);

        Assert.StartsWith("census: ", groups, StringComparison.Ordinal);
        Assert.Contains($"Shapes.cs:{Shapes.WaitLine}", groups, StringComparison.Ordinal);
        Assert.Contains($"operation {pending.Id} [AsyncMethod", operations, StringComparison.Ordinal);
        Assert.Contains("awaiting TaskCompletionSource", operations, StringComparison.Ordinal);
        never.SetResult();
        await pending;
    }
}
