using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tool.Commands;

namespace Leakproof.Tool.Cli;

/// <summary>The command line: parses, runs one command, maps failures to exit codes.</summary>
internal static class LeakproofCli
{
    public static RootCommand CreateRootCommand(ToolConsole console)
    {
        var root = new RootCommand("dotnet-leakproof: find leaked async work in a running .NET process.");
        root.Subcommands.Add(PsCommand.Create(console));
        root.Subcommands.Add(CensusCommand.Create(console));
        root.Subcommands.Add(WatchCommand.Create(console));
        root.Subcommands.Add(DiffCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        return root;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "The last line of defence: an unexpected failure becomes one line and exit code 5, not a stack trace.")]
    public static async Task<int> RunAsync(string[] args, ToolConsole console, CancellationToken cancellationToken = default)
    {
        RootCommand root = CreateRootCommand(console);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await console.Error.WriteLineAsync($"dotnet-leakproof: {parse.Errors[0].Message.ReplaceLineEndings(" ").Replace('\t', ' ')} (see 'dotnet-leakproof --help')").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ToolException ex)
        {
            await console.Error.WriteLineAsync($"dotnet-leakproof: {ex.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return ex.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("dotnet-leakproof: cancelled").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
        catch (Exception ex)
        {
            await console.Error.WriteLineAsync($"dotnet-leakproof: internal error: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }
}
