using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace Leakproof.Census.Tests.Census;

/// <summary>The streamed forms write the same documents as <c>ToText</c>/<c>ToJson</c>, on a census large enough to be written in many pieces.</summary>
public sealed class CensusStreamingTests
{
    private static readonly DateTimeOffset s_capturedAt = new(2026, 11, 23, 1, 2, 3, TimeSpan.Zero);

    [Theory]
    [InlineData(CensusTextDetail.Groups)]
    [InlineData(CensusTextDetail.Operations)]
    public void WriteText_WritesWhatToTextReturns(CensusTextDetail detail)
    {
        CensusSnapshot census = Census(operations: 6_000, sites: 3_000);
        using var writer = new StringWriter();

        census.WriteText(writer, detail);

        string expected = census.ToText(detail);
        Assert.Equal(expected, writer.ToString());
        Assert.True(expected.Length > 1 << 16, "the census must be large enough to be written in several pieces");
    }

    [Fact]
    public void ToText_GroupsOnlyCensus_HeaderCountsTheOperationsOfItsGroups()
    {
        CensusSnapshot full = Census(operations: 7, sites: 2);
        var groupsOnly = new CensusSnapshot { Process = full.Process, CapturedAt = s_capturedAt, Source = "heap-dump", Groups = full.Groups };

        Assert.StartsWith("census: 7 pending operations in 2 await sites (source runtime-registry", full.ToText(), StringComparison.Ordinal);
        Assert.StartsWith("census: 7 pending operations in 2 await sites (source heap-dump", groupsOnly.ToText(), StringComparison.Ordinal);
        Assert.StartsWith("census: 0 pending operations in 0 await sites", new CensusSnapshot().ToText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WriteJsonAsync_WritesWhatToJsonReturns_AndFromJsonAsyncReadsItBack(bool indented)
    {
        CensusSnapshot census = Census(operations: 5_000, sites: 2);
        using var stream = new MemoryStream();

        await census.WriteJsonAsync(stream, indented, TestContext.Current.CancellationToken);

        Assert.Equal(census.ToJson(indented), Encoding.UTF8.GetString(stream.ToArray()));
        stream.Position = 0;
        CensusSnapshot read = await CensusSnapshot.FromJsonAsync(stream, TestContext.Current.CancellationToken);
        Assert.Equal(census.Operations.Select(o => (o.Id, o.Description, o.Age)), read.Operations.Select(o => (o.Id, o.Description, o.Age)));
        Assert.Equal(census.Groups.Select(g => (g.Key, g.Count)), read.Groups.Select(g => (g.Key, g.Count)));
    }

    [Fact]
    public async Task StreamedJson_BadInput_ThrowsWhatADotNetUserExpects()
    {
        using var garbage = new MemoryStream("not a census"u8.ToArray());
        using var empty = new MemoryStream("null"u8.ToArray());

        _ = await Assert.ThrowsAnyAsync<JsonException>(() => CensusSnapshot.FromJsonAsync(garbage, TestContext.Current.CancellationToken));
        _ = await Assert.ThrowsAnyAsync<JsonException>(() => CensusSnapshot.FromJsonAsync(empty, TestContext.Current.CancellationToken));
        using var absurdAge = new MemoryStream("""{"groups":[{"key":"k","oldestAgeSeconds":1e300}]}"""u8.ToArray());
        _ = await Assert.ThrowsAnyAsync<JsonException>(() => CensusSnapshot.FromJsonAsync(absurdAge, TestContext.Current.CancellationToken));
        _ = await Assert.ThrowsAsync<ArgumentNullException>(() => CensusSnapshot.FromJsonAsync(null!, TestContext.Current.CancellationToken));
        _ = await Assert.ThrowsAsync<ArgumentNullException>(() => new CensusSnapshot().WriteJsonAsync(null!, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentNullException>(() => new CensusSnapshot().WriteText(null!));
    }

    /// <summary>A census of operations spread over await sites, each operation with a two-frame async stack.</summary>
    private static CensusSnapshot Census(int operations, int sites)
    {
        var caller = new CensusFrame { Method = "Shop.Checkout.RunAsync", StateMachineType = "Shop.Checkout+<RunAsync>d__1", State = 0, File = "/src/Checkout.cs", Line = 12 };
        CensusFrame[] frames = [.. Enumerable.Range(0, sites).Select(i => new CensusFrame { Method = $"Shop.Payments.Charge{i}Async", StateMachineType = $"Shop.Payments+<Charge{i}Async>d__4", State = 1, File = "/src/Payments.cs", Line = 40 + i })];
        var list = new List<PendingOperation>(operations);
        for (int i = 0; i < operations; i++)
        {
            CensusFrame site = frames[i % sites];
            list.Add(new PendingOperation
            {
                Id = i + 1,
                Kind = PendingOperationKind.AsyncMethod,
                Description = site.Method,
                AwaitSite = site,
                AsyncStack = [site, caller],
                Age = TimeSpan.FromMilliseconds(i),
                Owner = "owner-" + (i % 3),
            });
        }

        CensusGroup[] groups = [.. list.GroupBy(o => o.AwaitSite!).Select(g => new CensusGroup
        {
            Key = $"{g.Key.StateMachineType}#{g.Key.State}",
            Site = g.Key,
            Kind = PendingOperationKind.AsyncMethod,
            Count = g.Count(),
            OldestAge = g.Max(o => o.Age),
            OperationIds = [.. g.Select(o => o.Id)],
        })];

        return new CensusSnapshot
        {
            Process = new CensusProcessInfo { ProcessId = 42, ProcessName = "shop", Runtime = ".NET 10", OperatingSystem = "Linux", ProcessorCount = 2 },
            CapturedAt = s_capturedAt,
            Source = "runtime-registry",
            Warnings = ["a warning"],
            Groups = groups,
            Operations = list,
        };
    }
}
