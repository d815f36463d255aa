using Leakproof.HeapCensus;

namespace Snippets.Docs;

/// <summary>docs/heap-census.md.</summary>
internal static class HeapCensusUsage
{
    public static async Task<HeapCensusResult> CaptureAsync(int processId)
    {
        // begin-snippet: heap-census
        HeapCensusResult result = await HeapCensus.CaptureAsync(processId, new HeapCensusOptions { DumpDirectory = "/var/tmp" });
        Console.WriteLine(result.Snapshot.ToText());
        Console.WriteLine($"target paused {result.TargetPause.TotalMilliseconds:0} ms, analysis {result.Analysis.TotalMilliseconds:0} ms");

        // Or an existing dump (dotnet-dump collect --type Heap), which is kept:
        HeapCensusResult fromFile = await HeapCensus.AnalyzeDumpAsync("core_20260101_120000");
        // end-snippet
        return fromFile;
    }
}
