namespace LeakLab.Harness;

/// <summary>Runs variants one at a time and measures what each left behind once its caller returned.</summary>
public static class ScenarioRunner
{
    /// <summary>How long a variant's leftovers get to wind down before they count as leaked.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest a variant's caller may take; the fixed variants return in milliseconds.</summary>
    private static readonly TimeSpan s_callerBound = TimeSpan.FromSeconds(10);

    private static int s_unobserved;

    static ScenarioRunner() => TaskScheduler.UnobservedTaskException += (_, e) =>
    {
        Interlocked.Add(ref s_unobserved, e.Exception.InnerExceptions.Count);
        e.SetObserved();
    };

    /// <summary>Runs the fixed variants first, then the leaky ones (whose leftovers would otherwise disturb the
    /// process-wide timer count), and returns the results in scenario order.</summary>
    public static async Task<IReadOnlyList<VariantResult>> RunAsync(IEnumerable<IScenario> scenarios, IReadOnlyCollection<string> variants)
    {
        var list = scenarios.ToList();
        var results = new List<VariantResult>();
        foreach (string variant in new[] { "fixed", "leaky" }.Where(variants.Contains))
        {
            foreach (IScenario scenario in list)
            {
                results.Add(await RunVariantAsync(scenario, variant));
            }
        }

        return results
            .OrderBy(r => list.FindIndex(s => s.Name == r.Scenario))
            .ThenBy(r => r.Variant == "leaky" ? 0 : 1)
            .ToList();
    }

    /// <summary>Runs one variant and measures it.</summary>
    public static async Task<VariantResult> RunVariantAsync(IScenario scenario, string variant)
    {
        CollectGarbage();
        long timersBefore = Timer.ActiveCount;
        int unobservedBefore = Volatile.Read(ref s_unobserved);
        var probe = new LeakProbe();
        string? error = null;
        try
        {
            Task run = variant == "leaky" ? scenario.RunLeakyAsync(probe) : scenario.RunFixedAsync(probe);
            await run.WaitAsync(s_callerBound);
        }
        catch (Exception ex)
        {
            error = $"{ex.GetType().Name}: {ex.Message}";
        }

        // Leftovers get a fixed window to start (fire-and-forget work may not have begun yet) and to wind down.
        await Task.Delay(Settle);

        CollectGarbage();
        return new VariantResult(
            scenario.Name,
            variant,
            scenario.Incident,
            probe.StillRunning,
            probe.BlockedWriters,
            (int)Math.Max(0, Timer.ActiveCount - timersBefore),
            Volatile.Read(ref s_unobserved) - unobservedBefore,
            error);
    }

    private static void CollectGarbage()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }
}
