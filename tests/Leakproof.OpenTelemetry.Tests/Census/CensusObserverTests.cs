using System;
using System.Collections.Generic;
using System.Linq;
using Leakproof.Census;
using Leakproof.OpenTelemetry.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Leakproof.OpenTelemetry.Tests.Census;

public sealed class CensusObserverTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Queue<CensusSnapshot?> _captures = new();
    private int _reads;

    [Fact]
    public void Observe_CensusOff_ReportsNothing()
    {
        CensusObserver observer = Create();
        _captures.Enqueue(null);
        _captures.Enqueue(null);

        Assert.Empty(observer.ObservePending());
        Assert.Empty(observer.ObserveAbandoned());
    }

    [Fact]
    public void ObservePending_CountsOperationsByKind()
    {
        CensusObserver observer = Create();
        _captures.Enqueue(Snapshot(
            [Pending(PendingOperationKind.AsyncMethod), Pending(PendingOperationKind.AsyncMethod), Pending(PendingOperationKind.Delay)],
            []));

        var measured = observer.ObservePending().ToDictionary(m => (string)m.Tags.ToArray().Single(t => t.Key == "leakproof.operation.kind").Value!, m => m.Value);

        Assert.Equal(new Dictionary<string, int> { ["async_method"] = 2, ["delay"] = 1 }, measured);
    }

    [Fact]
    public void Observe_BothInstrumentsWithinReuseWindow_TakeOneCapture()
    {
        CensusObserver observer = Create();
        _captures.Enqueue(Snapshot([Pending(PendingOperationKind.Delay)], [Abandoned(1)]));

        _ = observer.ObservePending().ToList();
        _time.Advance(CensusObserver.ReuseFor - TimeSpan.FromTicks(1));
        Assert.Equal(1, observer.ObserveAbandoned().Single().Value);

        Assert.Equal(1, _reads);
    }

    [Fact]
    public void ObserveAbandoned_EntriesSeenAgain_AreCountedOnce()
    {
        CensusObserver observer = Create();
        AbandonedOperation a = Abandoned(1), b = Abandoned(2), c = Abandoned(3);

        Assert.Equal(1, Next(observer, [a]));
        Assert.Equal(2, Next(observer, [a, b]));
        Assert.Equal(2, Next(observer, [a, b]));
        Assert.Equal(3, Next(observer, [b, c])); // The census forgot `a`: only `c` is new.
        Assert.Equal(3, Next(observer, [])); // Never decreases.
    }

    [Fact]
    public void ObserveAbandoned_NewestCountedForgotten_CountsEveryEntryAsNew()
    {
        CensusObserver observer = Create();

        Assert.Equal(1, Next(observer, [Abandoned(1)]));
        Assert.Equal(3, Next(observer, [Abandoned(2), Abandoned(3)]));
    }

    [Theory]
    [InlineData(PendingOperationKind.Other, "other")]
    [InlineData(PendingOperationKind.AsyncMethod, "async_method")]
    [InlineData(PendingOperationKind.Delay, "delay")]
    [InlineData(PendingOperationKind.TaskRun, "task_run")]
    [InlineData(PendingOperationKind.TaskCompletionSource, "task_completion_source")]
    [InlineData(PendingOperationKind.SemaphoreWait, "semaphore_wait")]
    [InlineData(PendingOperationKind.ChannelOperation, "channel_operation")]
    [InlineData(PendingOperationKind.WhenAllOrAny, "when_all_or_any")]
    [InlineData(PendingOperationKind.ScopeChild, "scope_child")]
    public void KindName_EveryKind_IsSnakeCase(PendingOperationKind kind, string expected) =>
        Assert.Equal(expected, CensusObserver.KindName(kind));

    [Fact]
    public void KindName_CoversEveryKind() =>
        Assert.Equal(Enum.GetValues<PendingOperationKind>().Length - 1, Enum.GetValues<PendingOperationKind>().Count(k => CensusObserver.KindName(k) != "other"));

    private static CensusSnapshot Snapshot(IReadOnlyList<PendingOperation> operations, IReadOnlyList<AbandonedOperation> abandoned) =>
        new() { Operations = operations, Abandoned = abandoned };

    private static PendingOperation Pending(PendingOperationKind kind) => new() { Kind = kind, Description = kind.ToString() };

    private static AbandonedOperation Abandoned(long id) => new() { Id = id, Method = "M" + id, Description = "abandoned " + id };

    private CensusObserver Create() => new(
        () =>
        {
            _reads++;
            return _captures.Dequeue();
        },
        _time);

    private long Next(CensusObserver observer, IReadOnlyList<AbandonedOperation> abandoned)
    {
        _time.Advance(CensusObserver.ReuseFor);
        _captures.Enqueue(Snapshot([], abandoned));
        return observer.ObserveAbandoned().Single().Value;
    }
}
