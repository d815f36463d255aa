using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace Leakproof.Benchmarks;

/// <summary>The async work the census and LeakGuard benchmarks track, capture and verify.</summary>
internal static class CensusWorkload
{
    /// <summary>The benchmark category of the census and LeakGuard classes: quick mode measures them with its own
    /// harness (<see cref="QuickFigures"/>), because enabling the census is process-wide and cannot be undone.</summary>
    public const string Category = "Census";

    /// <summary>The operations per invocation of the tracking benchmark.</summary>
    public const int OperationsPerBatch = 1_000;

    /// <summary>The pending chains the capture benchmark takes a census of.</summary>
    public const int CaptureChains = 100_000;

    /// <summary>The unrelated operations pending while a guard verifies.</summary>
    public const int UnrelatedPending = 10_000;

    /// <summary>Runs <see cref="OperationsPerBatch"/> async methods that each suspend on their own gate, then resumes
    /// them inline by completing the gates one by one: one suspension and one resumption per operation, no
    /// thread-pool hop (a task with several awaiters would queue all but one of them to the thread pool).</summary>
    public static void RunBatch()
    {
        var gates = new TaskCompletionSource[OperationsPerBatch];
        var operations = new Task[OperationsPerBatch];
        for (int i = 0; i < operations.Length; i++)
        {
            gates[i] = new TaskCompletionSource();
            operations[i] = SuspendOnceAsync(gates[i].Task);
        }

        for (int i = 0; i < operations.Length; i++)
        {
            gates[i].SetResult();
            if (!operations[i].IsCompletedSuccessfully)
            {
                throw new InvalidOperationException($"Operation {i} did not resume inline ({operations[i].Status}).");
            }
        }
    }

    /// <summary>Starts <paramref name="count"/> chains of two async methods parked on <paramref name="gate"/>.</summary>
    /// <param name="count">The number of chains.</param>
    /// <param name="gate">The gate they wait for; complete it to end them.</param>
    /// <returns>The outer task of every chain.</returns>
    public static Task[] StartPendingChains(int count, Task gate)
    {
        var chains = new Task[count];
        for (int i = 0; i < chains.Length; i++)
        {
            chains[i] = OuterAsync(gate);
        }

        return chains;
    }

    /// <summary>The tracked operation: an async method that suspends once.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task SuspendOnceAsync(Task gate) => await gate;

    /// <summary>The top of a pending chain.</summary>
    private static async Task OuterAsync(Task gate) => await InnerAsync(gate);

    /// <summary>The bottom of a pending chain, parked on the gate.</summary>
    private static async Task InnerAsync(Task gate) => await gate;
}
