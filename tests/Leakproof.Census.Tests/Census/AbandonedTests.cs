using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Leakproof.Census.Tests.Support;

namespace Leakproof.Census.Tests.Census;

[Collection(ProcessCensusCollection.Name)]
public sealed class AbandonedTests
{
    [Fact]
    public void Capture_PendingMethodCollected_ReportsAbandonedWithSiteAndOwner()
    {
        AsyncCensus.Enable(new CensusOptions { TrackAbandoned = true });
        string owner = TestOwner.Begin();
        StartAndDrop();
        _ = AsyncCensus.Capture(TestOwner.Capture()); // Takes the method over from the runtime's registry (weakly).

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        CensusSnapshot census = AsyncCensus.Capture(TestOwner.Capture());

        AbandonedOperation abandoned = Assert.Single(census.Abandoned, a => a.Owner == owner);
        Assert.Equal("Leakproof.Census.Tests.Support.Shapes.WaitAsync", abandoned.Method);
        Assert.Equal(Shapes.WaitLine, abandoned.AwaitSite!.Line);
        Assert.Contains("collected while suspended at state 0", abandoned.Description, StringComparison.Ordinal);
        Assert.Contains("abandoned @ ", census.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capture_PendingMethodStillReachable_IsNotAbandoned()
    {
        AsyncCensus.Enable(new CensusOptions { TrackAbandoned = true });
        string owner = TestOwner.Begin();
        var never = new TaskCompletionSource();
        Task pending = Shapes.WaitAsync(never.Task);
        _ = AsyncCensus.Capture(TestOwner.Capture());

        GC.Collect();
        GC.WaitForPendingFinalizers();
        CensusSnapshot census = AsyncCensus.Capture(TestOwner.Capture());

        Assert.DoesNotContain(census.Abandoned, a => a.Owner == owner);
        Assert.Contains(census.Operations, o => o.Id == pending.Id);
        never.SetResult();
        await pending;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartAndDrop()
    {
        var dropped = new TaskCompletionSource();
        _ = Shapes.WaitAsync(dropped.Task);
    }
}
