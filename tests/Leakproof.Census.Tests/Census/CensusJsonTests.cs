using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Leakproof.Census.Tests.Support;

namespace Leakproof.Census.Tests.Census;

[Collection(ProcessCensusCollection.Name)]
public sealed class CensusJsonTests
{
    public CensusJsonTests() => AsyncCensus.Enable();

    [Fact]
    public async Task ToJson_RealCensus_ValidatesAgainstPublishedSchema()
    {
        string owner = TestOwner.Begin();
        var never = new TaskCompletionSource();
        Task pending = Shapes.OuterAsync(never.Task);
        CensusSnapshot census = AsyncCensus.Capture(TestOwner.Capture());

        string json = census.ToJson(indented: true);

        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "census.schema.json")));
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Empty(new MiniJsonSchema(schema.RootElement).Validate(document.RootElement));
        Assert.Contains($"\"owner\": \"{owner}\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"AsyncMethod\"", json, StringComparison.Ordinal);
        Assert.Contains("\"schemaVersion\": 2", json, StringComparison.Ordinal);
        never.SetResult();
        await pending;
    }

    [Fact]
    public async Task ToJson_GroupsOnlyCensus_ValidatesAgainstPublishedSchema()
    {
        _ = TestOwner.Begin();
        var never = new TaskCompletionSource();
        Task pending = Shapes.OuterAsync(never.Task);
        CensusSnapshot census = AsyncCensus.Capture(new CensusCaptureOptions { IncludeAsyncStacks = false, IncludeOperations = false });

        string json = census.ToJson(indented: true);

        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "census.schema.json")));
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Empty(new MiniJsonSchema(schema.RootElement).Validate(document.RootElement));
        Assert.Contains(CensusSnapshot.FromJson(json).Groups, g => g.OperationIds.Contains(pending.Id));
        never.SetResult();
        await pending;
    }

    [Fact]
    public void Validate_DocumentBreakingSchema_ReportsErrors()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "census.schema.json")));
        using JsonDocument document = JsonDocument.Parse("""{"schemaVersion": 3, "source": "guess", "extra": true}""");

        var errors = new MiniJsonSchema(schema.RootElement).Validate(document.RootElement);

        Assert.Contains(errors, e => e.Contains("missing 'operations'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("$.schemaVersion", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("$.source", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unexpected property 'extra'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FromJson_RoundTrip_KeepsOperationsAndAges()
    {
        _ = TestOwner.Begin();
        var never = new TaskCompletionSource();
        Task pending = Shapes.WaitAsync(never.Task);
        CensusSnapshot census = AsyncCensus.Capture(TestOwner.Capture());

        CensusSnapshot parsed = CensusSnapshot.FromJson(census.ToJson());

        PendingOperation original = census.Operations.Single(o => o.Id == pending.Id);
        PendingOperation copy = parsed.Operations.Single(o => o.Id == pending.Id);
        Assert.Equal(original.AwaitSite!.Line, copy.AwaitSite!.Line);
        Assert.Equal(original.Kind, copy.Kind);
        Assert.InRange(copy.Age.TotalSeconds - original.Age.TotalSeconds, -1e-6, 1e-6); // Ages are written in seconds to the microsecond.
        Assert.Equal(census.Groups.Count, parsed.Groups.Count);
        never.SetResult();
        await pending;
    }
}
