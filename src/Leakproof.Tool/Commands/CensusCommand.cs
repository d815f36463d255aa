using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Tool.Cli;
using Leakproof.Tool.Processes;
using Leakproof.Tool.Routes;

namespace Leakproof.Tool.Commands;

/// <summary><c>census</c>: the pending async work of a process, grouped by await site.</summary>
internal static class CensusCommand
{
    public static Command Create(ToolConsole console, CensusRoutes? routes = null)
    {
        routes ??= CensusRoutes.Default;
        var target = new TargetOptions();
        var format = new Option<string>("--format", "-f") { Description = "The output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "html");
        var detail = new Option<string?>("--detail") { Description = "One entry per await site (groups), or every operation with its async stack (all). Default: groups for text, all for json and html." };
        detail.AcceptOnlyFromAmong("groups", "all");
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of standard output." };
        var failOnLeaks = new Option<bool>("--fail-on-leaks") { Description = "Exit with code 1 when an operation has been pending for at least --min-age, or an async method was abandoned." };
        var minAge = new Option<TimeSpan>("--min-age") { Description = "With --fail-on-leaks: how long an operation must have been pending to count (default 0s: any).", CustomParser = Durations.Parse, DefaultValueFactory = _ => TimeSpan.Zero };
        var route = new Option<string>("--route") { Description = "How to take the census: the in-process agent, a heap dump, or auto (the agent when present, else a dump).", DefaultValueFactory = _ => "auto" };
        route.AcceptOnlyFromAmong("auto", "agent", "dump");
        var dumpDirectory = new Option<string?>("--dump-dir") { Description = "The dump route's folder for its temporary heap dump (default: the temp folder); the dump is always removed." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long the census may take.", CustomParser = Durations.Parse, DefaultValueFactory = _ => TimeSpan.FromSeconds(120) };

        var command = new Command("census", "Take a census of a process's pending async work, grouped by await site (file:line).");
        target.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(detail);
        command.Options.Add(output);
        command.Options.Add(failOnLeaks);
        command.Options.Add(minAge);
        command.Options.Add(route);
        command.Options.Add(dumpDirectory);
        command.Options.Add(timeout);
        command.SetAction(async (parse, cancellationToken) =>
        {
            DotnetProcess process = ProcessInspector.Resolve(parse.GetValue(target.ProcessId), parse.GetValue(target.Name));
            string fmt = parse.GetValue(format)!;
            string level = parse.GetValue(detail) ?? (fmt == "text" ? "groups" : "all");
            CensusRoutes chosen = routes == CensusRoutes.Default ? new CensusRoutes(new AgentCensusRoute { Timeout = parse.GetValue(timeout), Detail = level }, new DumpCensusRoute { DumpDirectory = parse.GetValue(dumpDirectory), Detail = level }) : routes;
            (CensusSnapshot snapshot, string used) = await chosen.CaptureAsync(process, parse.GetValue(route)!, cancellationToken).ConfigureAwait(false);
            string? file = parse.GetValue(output);

            // JSON and text are streamed as they are written: every operation of a large process is hundreds of MB.
            Func<Stream, CancellationToken, Task> write = fmt switch
            {
                "json" => (stream, token) => snapshot.WriteJsonAsync(stream, indented: true, token),
                "text" => (stream, _) => WriteText(stream, snapshot, level),
                _ => (stream, token) => WriteTextAsync(stream, CensusFormats.Render(snapshot, fmt), token),
            };
            if (file is not null)
            {
                await WriteFileAsync(file, write, cancellationToken).ConfigureAwait(false);
                await console.Out.WriteLineAsync($"census of process {process.ProcessId} ({process.Name}) by the {used} route: {CensusFormats.PendingCount(snapshot)} pending operations at {snapshot.Groups.Count} sites, written to {file}").ConfigureAwait(false);
            }
            else if (fmt == "json" && console.OpenStandardOutput is { } open)
            {
                await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                Stream standardOutput = open();
                await using (standardOutput.ConfigureAwait(false))
                {
                    await write(standardOutput, cancellationToken).ConfigureAwait(false);
                    await standardOutput.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                }
            }
            else if (fmt == "text")
            {
                snapshot.WriteText(console.Out, CensusFormats.TextDetail(level));
                await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                string report = CensusFormats.Render(snapshot, fmt);
                await console.Out.WriteAsync(report).ConfigureAwait(false);
                if (!report.EndsWith('\n'))
                {
                    await console.Out.WriteLineAsync().ConfigureAwait(false);
                }
            }

            return parse.GetValue(failOnLeaks) && HasLeaks(snapshot, parse.GetValue(minAge)) ? ExitCodes.LeaksFound : ExitCodes.Ok;
        });
        return command;
    }

    private static Task WriteText(Stream stream, CensusSnapshot snapshot, string level)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true);
        snapshot.WriteText(writer, CensusFormats.TextDetail(level));
        return Task.CompletedTask;
    }

    private static async Task WriteTextAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }

    public static bool HasLeaks(CensusSnapshot snapshot, TimeSpan minAge) =>
        snapshot.Abandoned.Count > 0 || snapshot.Groups.Any(g => g.OldestAge >= minAge);

    /// <summary>Writes through a temporary file beside the target, so a failure leaves no partial report behind.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Cleanup of the temporary file must not hide the original failure.")]
    public static async Task WriteFileAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        string full = Path.GetFullPath(path);
        string temp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                await write(file, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception)
            {
                // nothing more to do
            }

            throw new ToolException(ExitCodes.Usage, $"cannot write '{path}': {ex.Message}", ex);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
