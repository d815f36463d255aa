using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Tool.Cli;
using Leakproof.Tool.Routes;

namespace Leakproof.Tool.Commands;

/// <summary>
/// <c>demo</c>: starts LeakLab (shipped beside the tool) serving its leaky variants, lets leaks accumulate, takes a
/// census through the agent and prints each leaky await site with its file and line, then stops LeakLab.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(ToolConsole console)
    {
        var rounds = new Option<int>("--rounds") { Description = "How many rounds of leaky requests LeakLab serves before the census.", DefaultValueFactory = _ => 3 };
        var full = new Option<bool>("--full") { Description = "Also print the full census text." };
        var command = new Command("demo", "Run LeakLab, let its leaks pile up, take a census through the agent and show the leaky await sites.");
        command.Options.Add(rounds);
        command.Options.Add(full);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string lab = Path.Combine(AppContext.BaseDirectory, "LeakLab.dll");
            if (!File.Exists(lab))
            {
                throw new ToolException(ExitCodes.InternalError, $"LeakLab.dll is missing beside the tool ({AppContext.BaseDirectory}); rebuild with 'dotnet build src/Leakproof.Tool'");
            }

            int wanted = parse.GetValue(rounds);
            if (wanted < 1)
            {
                throw new ToolException(ExitCodes.Usage, "--rounds must be at least 1");
            }

            var start = new ProcessStartInfo(DotnetHost.Path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { "exec", lab, "serve", "--interval", "100", "--rounds", wanted.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(arg);
            }

            using var child = Process.Start(start) ?? throw new ToolException(ExitCodes.InternalError, "could not start LeakLab");
            Task errors = Task.CompletedTask;
            Task drain = Task.CompletedTask;
            try
            {
                console.Out.WriteLine($"demo: started LeakLab serve (pid {child.Id}); waiting for {wanted} rounds of leaky requests");
                errors = child.StandardError.ReadToEndAsync(CancellationToken.None);
                using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bound.CancelAfter(TimeSpan.FromSeconds(90));
                await WaitForRoundAsync(child, wanted, bound.Token).ConfigureAwait(false);
                drain = DrainAsync(child.StandardOutput);

                var clock = Stopwatch.StartNew();
                CensusSnapshot snapshot = await CensusRoutes.Default.Agent.CaptureAsync(child.Id, cancellationToken).ConfigureAwait(false);
                clock.Stop();
                console.Out.WriteLine($"demo: census through the agent in {clock.ElapsedMilliseconds} ms: {snapshot.Operations.Count} pending operations at {snapshot.Groups.Count} await sites");
                console.Out.WriteLine();
                console.Out.Write(Report(snapshot));
                if (parse.GetValue(full))
                {
                    console.Out.WriteLine();
                    console.Out.Write(snapshot.ToText());
                }

                console.Out.WriteLine();
                console.Out.WriteLine("demo: on your own app: call LeakproofAgent.Start() at startup, then 'dotnet-leakproof census -p <pid>'");
                return ExitCodes.Ok;
            }
            finally
            {
                if (!child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                    await child.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }

                await Task.WhenAll(errors, drain).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        });
        return command;
    }

    /// <summary>The await sites in LeakLab's own code, largest first, each with its file, line and source text.</summary>
    public static string Report(CensusSnapshot snapshot)
    {
        var text = new System.Text.StringBuilder("leaky await sites in LeakLab (pending operations, await site, source):\n");
        foreach (CensusGroup group in snapshot.Groups.Where(g => g.Site?.File is not null && g.Site.Line is not null))
        {
            CensusFrame site = group.Site!;
            text.Append(CultureInfo.InvariantCulture, $"{group.Count,6}  {site.Method}\n        at {site.File}:{site.Line}\n");
            if (SourceLine(site.File!, site.Line!.Value) is { } source)
            {
                text.Append(CultureInfo.InvariantCulture, $"        | {source}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>The line from the file on disk, else from the sources LeakLab's PDB embeds (an installed tool has no repository).</summary>
    internal static string? SourceLine(string file, int line)
    {
        try
        {
            if (Locate(file) is { } path)
            {
                return File.ReadLines(path).Skip(line - 1).FirstOrDefault()?.Trim();
            }
        }
        catch (IOException)
        {
            // Fall back to the embedded copy.
        }

        IReadOnlyList<string>? embedded = EmbeddedSource.ReadLines(Path.Combine(AppContext.BaseDirectory, "LeakLab.pdb"), file);
        return embedded is not null && line >= 1 && line <= embedded.Count ? embedded[line - 1].Trim() : null;
    }

    /// <summary>
    /// Finds a source file named by a PDB. A deterministic CI build maps the source root to <c>/_/</c>; such a path is
    /// looked up under each folder above the current directory and above the tool.
    /// </summary>
    internal static string? Locate(string file)
    {
        if (File.Exists(file))
        {
            return file;
        }

        const string DeterministicRoot = "/_/";
        if (!file.StartsWith(DeterministicRoot, StringComparison.Ordinal))
        {
            return null;
        }

        string relative = file[DeterministicRoot.Length..];
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static async Task WaitForRoundAsync(Process child, int wanted, CancellationToken cancellationToken)
    {
        string done = $"{LeakLab.Harness.ServeMode.RoundLine} {wanted} done";
        while (true)
        {
            string? line;
            try
            {
                line = await child.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!child.HasExited)
            {
                throw new ToolException(ExitCodes.InternalError, "LeakLab did not finish its rounds within 90 s");
            }

            if (line is null)
            {
                throw new ToolException(ExitCodes.InternalError, $"LeakLab exited early (exit code {(child.HasExited ? child.ExitCode : -1)})");
            }

            if (line.StartsWith(done, StringComparison.Ordinal))
            {
                return;
            }
        }
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is not null)
        {
        }
    }
}
