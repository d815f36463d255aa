using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Tool.Tests;

/// <summary>LeakLab serving its leaky variants with the agent, as a real child process; killed on dispose.</summary>
internal sealed class LeakLabChild : IAsyncDisposable
{
    private readonly Process _process;

    private LeakLabChild(Process process) => _process = process;

    public int ProcessId => _process.Id;

    /// <summary>Starts LeakLab serve and waits until <paramref name="rounds"/> rounds of leaks have run.</summary>
    public static async Task<LeakLabChild> StartAsync(int rounds = 2, int intervalMs = 100)
    {
        string lab = Path.Combine(AppContext.BaseDirectory, "LeakLab.dll");
        Assert.True(File.Exists(lab), $"LeakLab.dll is missing beside the tests ({lab})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "exec", lab, "serve", "--interval", intervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var child = new LeakLabChild(process);
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (true)
            {
                string? line = await process.StandardOutput.ReadLineAsync(bound.Token);
                Assert.NotNull(line);
                if (line.StartsWith($"LeakLab serve: round {rounds} done", StringComparison.Ordinal))
                {
                    break;
                }
            }

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
}
