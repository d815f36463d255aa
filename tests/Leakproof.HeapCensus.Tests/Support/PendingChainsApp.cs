using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.HeapCensus.Tests.Support;

/// <summary>Runs tests/TargetApps/PendingChains as a real child process and kills it (with its tree) on dispose.</summary>
internal sealed partial class PendingChainsApp : IAsyncDisposable
{
    private readonly Process _process;

    private PendingChainsApp(Process process) => _process = process;

    public int ProcessId => _process.Id;

    /// <summary>Gets the app's source file, to read the <c>// site:</c> markers from.</summary>
    public static string SourcePath => Path.Combine(RepositoryRoot, "tests", "TargetApps", "PendingChains", "Program.cs");

    /// <summary>Gets the built app.</summary>
    public static string AppPath
    {
        get
        {
            // The test app lives in artifacts/bin/Leakproof.HeapCensus.Tests/<configuration>/; the target beside it.
            string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            string path = Path.Combine(RepositoryRoot, "artifacts", "bin", "PendingChains", configuration, "PendingChains.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The target app was not built: {path} is missing (build tests/Leakproof.HeapCensus.Tests first).", path);
        }
    }

    private static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Leakproof.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"No Leakproof.slnx above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Starts the app and waits for its <c>ready</c> line.</summary>
    public static async Task<PendingChainsApp> StartAsync(string arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet", $"\"{AppPath}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var app = new PendingChainsApp(process);
        try
        {
            while (true)
            {
                string? line = await process.StandardOutput.ReadLineAsync(cancellationToken);
                if (line is null)
                {
                    string error = await process.StandardError.ReadToEndAsync(cancellationToken);
                    throw new InvalidOperationException($"PendingChains exited before it was ready: {error}");
                }

                if (line == "ready")
                {
                    return app;
                }
            }
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads the line of each <c>// site: name</c> marker of the app's source.</summary>
    public static Dictionary<string, int> ReadSiteLines()
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] source = File.ReadAllLines(SourcePath);
        for (int i = 0; i < source.Length; i++)
        {
            Match match = SiteMarker().Match(source[i]);
            if (match.Success)
            {
                lines.Add(match.Groups[1].Value, i + 1);
            }
        }

        return lines;
    }

    public async Task KillAsync(CancellationToken cancellationToken)
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    [GeneratedRegex(@"// site: ([a-z-]+)$")]
    private static partial Regex SiteMarker();
}
