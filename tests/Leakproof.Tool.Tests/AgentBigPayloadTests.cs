using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Tool.Routes;

namespace Leakproof.Tool.Tests;

/// <summary>The agent route on a target with thousands of pending chains: a payload of many chunks, resumed rounds, groups only.</summary>
public sealed class AgentBigPayloadTests
{
    private const int Chains = 4000;

    [Fact]
    public async Task Census_OfThousandsOfChains_InOneChunkPerRound_ResumesUntilEveryChunkArrives()
    {
        await using TargetChild child = await TargetChild.StartAgentChainsAsync(Chains);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        // One chunk per round: every chunk after the first comes from the agent's cached answer in a new session.
        var route = new AgentCensusRoute { Detail = "all", ChunksPerRound = 1 };
        CensusSnapshot snapshot = await route.CaptureAsync(child.ProcessId, bound.Token);

        Assert.Equal(2 * Chains, snapshot.Operations.Count(o => o.AwaitSite?.Method.Contains("AgentChains.Program", StringComparison.Ordinal) == true));
        CensusGroup outer = Assert.Single(snapshot.Groups, g => g.Site?.Method.Contains("OuterAsync", StringComparison.Ordinal) == true);
        Assert.Equal(Chains, outer.Count);
        CensusGroup park = Assert.Single(snapshot.Groups, g => g.Site?.Method.Contains("ParkAsync", StringComparison.Ordinal) == true);
        Assert.Equal(Chains, park.Count);
        Assert.True(route.LastRounds > 1, $"the census took {route.LastRounds} round(s): the payload was not split as the test needs");
    }

    [Fact]
    public async Task Census_TextDefault_SendsGroupsOnly_AndCountsOperationsFromTheGroups()
    {
        await using TargetChild child = await TargetChild.StartAgentChainsAsync(Chains);

        var (code, output, error) = await ToolRunner.RunAsync("census", "-p", child.ProcessId.ToString(CultureInfo.InvariantCulture), "--route", "agent");

        Assert.True(code == 0, $"exit {code}: {error}");
        string header = output.Split('\n')[0];
        long total = long.Parse(header["census: ".Length..header.IndexOf(' ', "census: ".Length)], CultureInfo.InvariantCulture);
        Assert.True(total >= 2 * Chains, header);
        Assert.Contains("groups only", output, StringComparison.Ordinal);
        Assert.Contains(output.Split('\n'), l => l.StartsWith($"{Chains} @ AgentChains.Program.OuterAsync", StringComparison.Ordinal) && l.Contains("Program.cs:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Census_Json_ListsEveryOperation_ByDefault()
    {
        await using TargetChild child = await TargetChild.StartAgentChainsAsync(Chains);
        string file = Path.Combine(Path.GetTempPath(), $"leakproof-big-{Guid.NewGuid():N}.json");
        try
        {
            var (code, _, error) = await ToolRunner.RunAsync("census", "-p", child.ProcessId.ToString(CultureInfo.InvariantCulture), "--route", "agent", "-f", "json", "-o", file);

            Assert.True(code == 0, $"exit {code}: {error}");
            CensusSnapshot snapshot = CensusSnapshot.FromJson(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
            Assert.True(snapshot.Operations.Count >= 2 * Chains, $"{snapshot.Operations.Count} operations");
            Assert.DoesNotContain(snapshot.Warnings, w => w.StartsWith("groups only", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
