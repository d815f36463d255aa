using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LeakLab.Harness;
using Leakproof.Testing;

namespace LeakLab.LeakGuard.Tests;

/// <summary>
/// Every LeakLab incident under LeakGuard: the leaky variant fails with a leak at the await marked
/// <c>// LEAK-SITE</c> in its source; the fixed variant passes. Tests of one class run one after another.
/// </summary>
public sealed class LabUnderLeakGuardTests
{
    public static TheoryData<string> Scenarios => new(Lab.Scenarios.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task LeakyVariant_UnderLeakGuard_FailsAtItsAwaitSite(string name)
    {
        IScenario scenario = Lab.Scenarios.Single(s => s.Name == name);
        await using var guard = Leakproof.Testing.LeakGuard.Start();

        await scenario.RunLeakyAsync(new LeakProbe());
        LeakReport report = await guard.FindLeaksAsync();

        Assert.True(report.HasLeaks, $"{name}: LeakGuard found nothing.\n{report}");
        List<(string File, int Line)> sites = MarkedSites(scenario);
        Assert.True(
            report.Leaks.Any(l => sites.Any(s => l.File is not null && l.File.EndsWith(s.File, StringComparison.Ordinal) && l.Line == s.Line)),
            $"{name}: no leak at {string.Join(", ", sites.Select(s => $"{s.File}:{s.Line}"))}.\n{report}");
        string message = new LeakDetectedException(report).Message;
        Assert.Contains($"{Path.GetFileName(sites[0].File)}:{sites[0].Line}", message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task FixedVariant_UnderLeakGuard_Passes(string name)
    {
        IScenario scenario = Lab.Scenarios.Single(s => s.Name == name);
        await using var guard = Leakproof.Testing.LeakGuard.Start();

        await scenario.RunFixedAsync(new LeakProbe());

        await guard.VerifyNoLeaksAsync();
    }

    /// <summary>Finds the lines marked <c>LEAK-SITE</c> in the scenario's leaky sources.</summary>
    private static List<(string File, int Line)> MarkedSites(IScenario scenario)
    {
        string folder = scenario.GetType().Namespace!.Split('.').Last();
        string directory = Path.Combine(RepositoryRoot(), "samples", "LeakLab", "Scenarios", folder);
        var sites = new List<(string File, int Line)>();
        foreach (string file in Directory.GetFiles(directory, "Leaky*.cs"))
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains("LEAK-SITE", StringComparison.Ordinal))
                {
                    sites.Add((Path.Combine("Scenarios", folder, Path.GetFileName(file)), i + 1));
                }
            }
        }

        Assert.NotEmpty(sites);
        return sites;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Leakproof.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Leakproof.slnx not found above " + AppContext.BaseDirectory);
    }
}
