using BenchmarkDotNet.Attributes;
using Leakproof.Census;

namespace Leakproof.Benchmarks;

/// <summary>
/// What the census costs every async operation of the process: an async method that suspends and resumes, with the
/// census off (baseline) and on. Enabling is process-wide and irreversible, so the result is only meaningful with a
/// process per benchmark case (BenchmarkDotNet's default toolchain); quick mode measures it with its own harness.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory(CensusWorkload.Category)]
public class TrackingOverheadBenchmark
{
    [GlobalSetup(Target = nameof(CensusOn))]
    public void EnableCensus() => AsyncCensus.Enable();

    [Benchmark(Baseline = true, OperationsPerInvoke = CensusWorkload.OperationsPerBatch)]
    public void CensusOff() => CensusWorkload.RunBatch();

    [Benchmark(OperationsPerInvoke = CensusWorkload.OperationsPerBatch)]
    public void CensusOn() => CensusWorkload.RunBatch();
}
