using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Leakproof.Census;

namespace Leakproof.Benchmarks;

/// <summary>
/// <c>AsyncCensus.Capture</c> of 100k pending chains (two async methods each, parked on one gate): groups only, with
/// the cheapest options; grouped with every operation listed; and with every async stack and its source lines. The first capture, which takes the tasks
/// over from the runtime's registry and loads symbols, happens in the setup and is not measured.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory(CensusWorkload.Category)]
public class CensusCaptureBenchmark
{
    /// <summary>The cheapest capture: groups only (<c>IncludeOperations = false</c>), no async stacks, no source lines.</summary>
    internal static CensusCaptureOptions Grouped { get; } = new() { IncludeAsyncStacks = false, ResolveSourceLines = false, IncludeOperations = false };

    /// <summary>The grouped capture that still lists every operation (the grouped figure before <c>IncludeOperations</c>).</summary>
    internal static CensusCaptureOptions GroupedWithOperations { get; } = new() { IncludeAsyncStacks = false, ResolveSourceLines = false };

    /// <summary>The fullest capture: every async stack with its source lines.</summary>
    internal static CensusCaptureOptions WithStacks { get; } = new() { IncludeAsyncStacks = true, ResolveSourceLines = true };

    private TaskCompletionSource? _gate;
    private Task[]? _chains;

    [GlobalSetup]
    public void StartChains()
    {
        AsyncCensus.Enable();
        _gate = new TaskCompletionSource();
        _chains = CensusWorkload.StartPendingChains(CensusWorkload.CaptureChains, _gate.Task);
        _ = AsyncCensus.Capture(WithStacks);
    }

    [GlobalCleanup]
    public void EndChains()
    {
        _gate?.SetResult();
        Task.WaitAll(_chains!);
    }

    [Benchmark(Baseline = true)]
    public CensusSnapshot CaptureGrouped() => AsyncCensus.Capture(Grouped);

    [Benchmark]
    public CensusSnapshot CaptureGroupedWithOperations() => AsyncCensus.Capture(GroupedWithOperations);

    [Benchmark]
    public CensusSnapshot CaptureWithStacks() => AsyncCensus.Capture(WithStacks);
}
