using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Leakproof.Census;
using Leakproof.Testing;

namespace Leakproof.Benchmarks;

/// <summary>
/// One clean guarded test: <c>LeakGuard.Start()</c>, a small scope fan-out that ends, <c>VerifyNoLeaksAsync()</c>,
/// while 10k unrelated chains (started in the setup outside any guard, parked on a gate) are pending in the process.
/// The census is enabled in LeakGuard's mode before they start, so every guard has to look past them.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory(CensusWorkload.Category)]
public class VerifyNoLeaksBenchmark
{
    /// <summary>The children of the guarded fan-out.</summary>
    private const int GuardedChildren = 10;

    private TaskCompletionSource? _gate;
    private Task[]? _unrelated;

    [GlobalSetup]
    public void StartUnrelatedWork()
    {
        // Enable the census as LeakGuard does (creation contexts, abandoned tracking) before the chains start, so the
        // census sees them. Not with a guard here: Start() would put its owner token on this flow, and the chains
        // would then belong to it.
        AsyncCensus.Enable(new CensusOptions { TrackAbandoned = true, TrackCreationContext = true });
        _gate = new TaskCompletionSource();
        _unrelated = CensusWorkload.StartPendingChains(CensusWorkload.UnrelatedPending, _gate.Task);
        _ = AsyncCensus.Capture(CensusCaptureBenchmark.Grouped); // Takes them over from the registry, unmeasured.
    }

    [GlobalCleanup]
    public void EndUnrelatedWork()
    {
        _gate?.SetResult();
        Task.WaitAll(_unrelated!);
    }

    [Benchmark]
    public Task VerifyCleanTest() => RunCleanGuardedTestAsync();

    /// <summary>The measured test body.</summary>
    /// <returns>A task that completes when the guard found no leak.</returns>
    internal static async Task RunCleanGuardedTestAsync()
    {
        LeakGuard guard = LeakGuard.Start();
        await TaskScope.RunAsync(static (scope, _) =>
        {
            for (int i = 0; i < GuardedChildren; i++)
            {
                scope.Spawn(Workload.Child);
            }

            return ValueTask.CompletedTask;
        });
        await guard.VerifyNoLeaksAsync();
    }
}
