using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Testing.Adapters.Tests.Support;

/// <summary>One run of a sample test executable on Microsoft.Testing.Platform: its exit code and result blocks.</summary>
internal sealed class SampleRun
{
    private SampleRun(int exitCode, string output)
    {
        ExitCode = exitCode;
        Output = output;
        Results = Parse(output);
    }

    /// <summary>Gets the process exit code (0 passed, 2 a test failed).</summary>
    public int ExitCode { get; }

    /// <summary>Gets everything the run wrote (standard output, then standard error).</summary>
    public string Output { get; }

    /// <summary>Gets each "passed"/"failed" block: its first line and its indented details.</summary>
    public IReadOnlyList<(string Outcome, string Name, string Details)> Results { get; }

    /// <summary>Gets the directory of the repository, found above the harness's artifacts output.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Runs a sample built with the same configuration as this harness.</summary>
    public static async Task<SampleRun> StartAsync(string project, params string[] arguments)
    {
        // The harness runs from artifacts/bin/<harness>/<configuration>/: the sample sits next to it.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        string dll = Path.Combine(RepositoryRoot, "artifacts", "bin", project, configuration, project + ".dll");
        Assert.True(File.Exists(dll), $"Sample not built: {dll}");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (string argument in new[] { dll, "--output", "detailed", "--no-ansi", "--progress", "off" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        // The harness may itself run under `dotnet test`: the sample must not join that session.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("TESTINGPLATFORM_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2), TimeProvider.System);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{project} did not finish within 2 minutes.");
        }

        return new SampleRun(process.ExitCode, await stdout + Environment.NewLine + await stderr);
    }

    /// <summary>Finds the line of a sample's source file that holds a marker comment.</summary>
    public static int MarkerLine(string project, string file, string marker)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot, "tests", "Adapters", project, file));
        int index = Array.FindIndex(lines, l => l.Contains("// " + marker, StringComparison.Ordinal));
        Assert.True(index >= 0, $"{marker} not found in {file}");
        return index + 1;
    }

    /// <summary>Gets the single block with the outcome whose name ends with <paramref name="name"/> (and details hold <paramref name="containing"/>).</summary>
    public (string Outcome, string Name, string Details) Single(string outcome, string name, string containing = "")
    {
        var matches = Results.Where(r => r.Outcome == outcome && r.Name.EndsWith(name, StringComparison.Ordinal)
            && r.Details.Contains(containing, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"Expected one '{outcome} {name}' in:{Environment.NewLine}{Output}");
        return matches[0];
    }

    private static List<(string Outcome, string Name, string Details)> Parse(string output)
    {
        var results = new List<(string Outcome, string Name, string Details)>();
        string? outcome = null, name = null;
        var details = new System.Text.StringBuilder();
        foreach (string line in output.Split('\n'))
        {
            string text = line.TrimEnd('\r');
            if (text.StartsWith("passed ", StringComparison.Ordinal) || text.StartsWith("failed ", StringComparison.Ordinal))
            {
                Flush();
                outcome = text[..6];
                int duration = text.LastIndexOf(" (", StringComparison.Ordinal);
                name = duration > 7 ? text[7..duration] : text[7..];
            }
            else if (outcome is not null && (text.Length == 0 || char.IsWhiteSpace(text[0])))
            {
                details.AppendLine(text);
            }
            else
            {
                Flush();
            }
        }

        Flush();
        return results;

        void Flush()
        {
            if (outcome is not null)
            {
                results.Add((outcome, name!, details.ToString()));
            }

            outcome = null;
            details.Clear();
        }
    }

    private static string FindRoot()
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
