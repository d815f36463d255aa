using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Tool.Cli;
using Spectre.Console;

namespace Leakproof.Tool.Tests;

/// <summary>Runs the tool in-process with a captured console, or as a real process.</summary>
internal static class ToolRunner
{
    public static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        int code = await LeakproofCli.RunAsync(args, new ToolConsole(output, error, isOutputRedirected: true), bound.Token);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the tool in-process as on a terminal: output not redirected, ANSI and interaction on (the live views).</summary>
    public static async Task<(int Code, string Out, string Error)> RunOnTerminalAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        IAnsiConsole terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Interactive = InteractionSupport.Yes,
        });
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        int code = await LeakproofCli.RunAsync(args, new ToolConsole(output, error, isOutputRedirected: false, terminal), bound.Token);
        return (code, output.ToString(), error.ToString());
    }

    public static async Task<(int Code, string Out, string Error)> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Leakproof.Tool.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            Task<string> output = process.StandardOutput.ReadToEndAsync(bound.Token);
            Task<string> error = process.StandardError.ReadToEndAsync(bound.Token);
            await process.WaitForExitAsync(bound.Token);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
