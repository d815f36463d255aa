using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Tool.Tests;

/// <summary>
/// A target app built beside the tests (LeakLab, AgentChains), run as a real child process with <c>dotnet exec</c>:
/// started, awaited until it prints a given line, and killed (with its tree) on dispose.
/// </summary>
internal sealed class TargetChild : IAsyncDisposable
{
    private readonly Process _process;

    private TargetChild(Process process) => _process = process;

    public int ProcessId => _process.Id;

    /// <summary>Starts LeakLab serve and waits until <paramref name="rounds"/> rounds of leaks have run.</summary>
    public static Task<TargetChild> StartAsync(int rounds = 2, int intervalMs = 100) =>
        StartAppAsync("LeakLab.dll", ["serve", "--interval", intervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture)], line => line.StartsWith($"LeakLab serve: round {rounds} done", StringComparison.Ordinal));

    /// <summary>Starts tests/TargetApps/AgentChains parking <paramref name="chains"/> chains and waits for its <c>ready</c>.</summary>
    public static Task<TargetChild> StartAgentChainsAsync(int chains) =>
        StartAppAsync("AgentChains.dll", ["--chains", chains.ToString(System.Globalization.CultureInfo.InvariantCulture)], line => line == "ready");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(bound.Token);
        _process.Dispose();
    }

    private static async Task<TargetChild> StartAppAsync(string app, string[] arguments, Func<string, bool> ready)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, app);
        Assert.True(File.Exists(dll), $"{app} is missing beside the tests ({dll})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var child = new TargetChild(process);
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (true)
            {
                string? line = await process.StandardOutput.ReadLineAsync(bound.Token);
                Assert.True(line is not null, $"{app} exited before it was ready");
                if (ready(line))
                {
                    break;
                }
            }

            // Keep reading, so a chatty child never blocks on a full pipe.
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }
}
