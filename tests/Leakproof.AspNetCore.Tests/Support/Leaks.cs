using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace Leakproof.AspNetCore.Tests.Support;

/// <summary>
/// Real leaks: async methods parked forever on a gate only the test completes. Their await lines are recorded on the
/// same line as the await, so tests can look for <c>Leaks.cs:line</c> in what the census shows.
/// </summary>
internal sealed class Leaks
{
    /// <summary>One gate per leak, so each leak is its own chain in the census (a shared gate has one chain).</summary>
    private readonly List<TaskCompletionSource> _gates = [];

    private readonly List<Task> _pending = [];

    public static int ParkedLine { get; private set; }

    public static int CallerLine { get; private set; }

    public static int LambdaLine { get; private set; }

    public static string File { get; } = Here();

    /// <summary>Starts <paramref name="parked"/> methods parked directly on the gate, and <paramref name="nested"/> parked one call deeper.</summary>
    /// <summary>The lambda's compiler-generated method name holds <c>&lt;</c> and <c>&gt;</c>, which every output must encode.</summary>
    public static Leaks Start(int parked, int nested, int lambdas = 0)
    {
        var leaks = new Leaks();
        for (int i = 0; i < parked; i++)
        {
            leaks._pending.Add(ParkedAsync(leaks.NewGate()));
        }

        for (int i = 0; i < nested; i++)
        {
            leaks._pending.Add(CallerAsync(leaks.NewGate()));
        }

        for (int i = 0; i < lambdas; i++)
        {
            Task gate = leaks.NewGate();
            Func<Task> lambda = async () =>
            {
                LambdaLine = Line(); await gate;
            };
            leaks._pending.Add(lambda());
        }

        return leaks;
    }

    /// <summary>Releases every leak and waits for them to finish.</summary>
    public Task ReleaseAsync()
    {
        foreach (TaskCompletionSource gate in _gates)
        {
            gate.TrySetResult();
        }

        return Task.WhenAll(_pending);
    }

    private Task NewGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gates.Add(gate);
        return gate.Task;
    }

    private static async Task ParkedAsync(Task gate)
    {
        ParkedLine = Line(); await gate;
    }

    private static async Task CallerAsync(Task gate)
    {
        CallerLine = Line(); await ParkedAsync(gate);
    }

    private static int Line([CallerLineNumber] int line = 0) => line;

    private static string Here([CallerFilePath] string file = "") => file;
}
