using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.HeapCensus.Internal;
using Leakproof.HeapCensus.Tests.Support;
using Microsoft.Diagnostics.Runtime;

namespace Leakproof.HeapCensus.Tests;

/// <content>The census's own heap walk and its groups-only mode, each checked against the reference on one real dump.</content>
public sealed partial class HeapCensusTests
{
    [Fact]
    public async Task HeapWalker_FindsEveryObjectClrMdFinds_InEverySegmentKind()
    {
        string dump = await KeepDumpAsync("--chains 300 --depth 4 --abandoned 3");
        using DataTarget target = DataTarget.LoadDump(dump);
        (ClrRuntime runtime, _) = DumpAnalyzer.CreateRuntime(target.ClrVersions[0]);
        using (runtime)
        {
            ClrHeap heap = runtime.Heap;
            var expected = new List<(ulong, ulong)>();
            foreach (ClrObject obj in heap.EnumerateObjects())
            {
                if (obj.IsValid)
                {
                    expected.Add((obj.Address, obj.Type!.MethodTable));
                }
            }

            var walker = new HeapWalker(heap, target.DataReader);
            List<(ulong, ulong)> walked = [.. walker.EnumerateObjects().Select(o => (o.Address, o.Type.MethodTable))];

            Assert.Equal(0, walker.StoppedSegments);
            Assert.Equal(expected.Count, walked.Count);
            Assert.Equal(expected, walked);

            // The target holds a large array and a pinned one: the walk crossed those segments, not only gen0-2.
            Assert.Contains(heap.Segments, s => s.Kind == GCSegmentKind.Large && walked.Any(o => s.ObjectRange.Contains(o.Item1)));
            Assert.Contains(heap.Segments, s => s.Kind == GCSegmentKind.Pinned && walked.Any(o => s.ObjectRange.Contains(o.Item1)));
        }
    }

    [Fact]
    public async Task AnalyzeDumpAsync_GroupsOnly_SameGroupsAndAbandonedAsTheFullCensus_WithoutOperations()
    {
        string dump = await KeepDumpAsync("--chains 40 --depth 4 --abandoned 3");
        CancellationToken token = TestContext.Current.CancellationToken;

        CensusSnapshot full = (await HeapCensus.AnalyzeDumpAsync(dump, new HeapCensusOptions(), token)).Snapshot;
        CensusSnapshot groupsOnly = (await HeapCensus.AnalyzeDumpAsync(dump, new HeapCensusOptions { IncludeOperations = false }, token)).Snapshot;

        Assert.NotEmpty(full.Operations);
        Assert.NotEmpty(full.Chains);
        Assert.Empty(groupsOnly.Operations);
        Assert.Empty(groupsOnly.Chains);
        Assert.Equal(Describe(full.Groups), Describe(groupsOnly.Groups));
        Assert.Equal(full.Abandoned.Select(a => (a.Method, a.AwaitSite?.Line)), groupsOnly.Abandoned.Select(a => (a.Method, a.AwaitSite?.Line)));
        Assert.Equal(3, groupsOnly.Abandoned.Count);

        // Each group still carries its first operation's stack: a group of Task.Delay promises says whose they are.
        CensusGroup delays = Assert.Single(groupsOnly.Groups, g => g.Kind == PendingOperationKind.Delay);
        Assert.Equal(["Task.Delay", "PendingChains.Program.ParkOnDelayAsync", "PendingChains.Program.RelayAsync", "PendingChains.Program.RelayAsync", "PendingChains.Program.OuterAsync"], delays.Stack!.Select(f => f.Method));
        Assert.All(groupsOnly.Groups, g => Assert.Equal(g.Site ?? g.Stack![0], g.Stack![0]));
    }

    private static IEnumerable<string> Describe(IReadOnlyList<CensusGroup> groups) =>
        groups.Select(g => $"{g.Key} {g.Count} {g.Kind} {g.Site} awaiting {g.Awaiting} stack {string.Join(" <- ", g.Stack ?? [])} ids {string.Join(',', g.OperationIds)}");

    /// <summary>Takes a census of a PendingChains child and keeps a copy of the dump it wrote.</summary>
    private async Task<string> KeepDumpAsync(string arguments)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using PendingChainsApp app = await PendingChainsApp.StartAsync(arguments, timeout.Token);
        string kept = Path.Combine(_dumpDirectory, "kept.dmp");
        var options = new HeapCensusOptions { DumpDirectory = _dumpDirectory, AfterDump = path => File.Copy(path, kept) };
        _ = await HeapCensus.CaptureAsync(app.ProcessId, options, timeout.Token);
        return kept;
    }
}
