using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.OpenTelemetry.Tests.Support;

/// <summary>A child process whose output is kept (for failure messages) and watched for a line; disposing it kills
/// the whole process tree, whatever happened.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Func<string, string?> _watch;
    private readonly TaskCompletionSource<string> _watched = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, Func<string, string?> watch)
    {
        _process = process;
        _watch = watch;
    }

    /// <summary>Gets the name shown in messages.</summary>
    public string Name => _process.StartInfo.FileName;

    /// <summary>Starts a process; <paramref name="watch"/> sees each output line and returns a value for the first
    /// interesting one (see <see cref="WaitForLineAsync"/>).</summary>
    public static ChildProcess Start(ProcessStartInfo start, Func<string, string?> watch)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;

        // The harness may itself run under `dotnet test`: the child must not join that session.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("TESTINGPLATFORM_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, watch);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Exited += (_, _) => child._watched.TrySetException(new InvalidOperationException($"{start.FileName} exited early.{Environment.NewLine}{child.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Gets the last lines the process wrote.</summary>
    public string Output => string.Join(Environment.NewLine, _output.TakeLast(40));

    /// <summary>Waits for the first line <c>watch</c> accepts, failing if the process exits or the token fires first.</summary>
    public async Task<string> WaitForLineAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _watched.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not become ready.{Environment.NewLine}{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30), TimeProvider.System);
            await _process.WaitForExitAsync(exit.Token);
        }
        finally
        {
            _watched.TrySetException(new ObjectDisposedException(nameof(ChildProcess), $"{Name} was stopped before the line came."));
            _process.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (_watch(line) is { } value)
        {
            _watched.TrySetResult(value);
        }
    }
}
