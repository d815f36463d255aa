using System;
using System.Threading.Tasks;
using Leakproof.Census.Analysis;
using Leakproof.Census.Sources;
using Leakproof.Census.Tests.Support;

namespace Leakproof.Census.Tests.Census;

public sealed class CensusFallbackTests
{
    [Fact]
    public async Task Capture_RegistryFieldsMissing_FallsBackToEventSourceWithOneWarning()
    {
        // A stand-in type has none of Task's private fields: the engine must detect that and fall back, not throw.
        RuntimeFields missing = RuntimeFields.Detect(typeof(object));
        using var engine = new CensusEngine(missing, new CensusOptions());
        var never = new TaskCompletionSource();
        Task pending = Shapes.WaitAsync(never.Task);

        CensusSnapshot census = engine.Capture(new CensusCaptureOptions());

        Assert.Equal("event-source", census.Source);
        string warning = Assert.Single(census.Warnings);
        Assert.Contains("s_currentActiveTasks", warning, StringComparison.Ordinal);
        PendingOperation operation = Assert.Single(census.Operations, o => o.Id == pending.Id);
        Assert.Equal(PendingOperationKind.AsyncMethod, operation.Kind);
        Assert.Equal("WaitAsync", operation.Description);
        Assert.Null(operation.AwaitSite!.Line);
        never.SetResult();
        await pending;
        Assert.DoesNotContain(engine.Capture(new CensusCaptureOptions()).Operations, o => o.Id == pending.Id);
    }
}
