using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Diagnostics.NETCore.Client;

namespace Leakproof.HeapCensus.Internal;

/// <summary>The live target: checked before the dump, and asked for the dump through its diagnostics port.</summary>
internal sealed class TargetProcess
{
    private readonly Process _process;

    private readonly HeapCensusOptions _options;

    private TargetProcess(Process process, HeapCensusOptions options, TargetInfo info)
    {
        _process = process;
        _options = options;
        Info = info;
    }

    /// <summary>Gets what is known of the target before the dump.</summary>
    public TargetInfo Info { get; }

    /// <summary>Finds the process and checks that it is a .NET process with a diagnostics port and that its dump fits on disk.</summary>
    /// <param name="processId">The process id.</param>
    /// <param name="options">The options.</param>
    /// <returns>The target.</returns>
    public static TargetProcess Open(int processId, HeapCensusOptions options)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows() && !OperatingSystem.IsMacOS())
        {
            throw new HeapCensusException(HeapCensusError.Unsupported, "A heap census needs Linux, Windows or macOS: the .NET diagnostics port writes dumps only there.");
        }

        Process process;
        string name;
        long workingSet;
        try
        {
            process = Process.GetProcessById(processId);
            name = process.ProcessName;
            workingSet = process.WorkingSet64;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new HeapCensusException(HeapCensusError.ProcessNotFound, $"No process with id {processId} is running.", ex);
        }
        catch (Exception ex) when (ex is Win32Exception or UnauthorizedAccessException)
        {
            throw new HeapCensusException(HeapCensusError.PermissionDenied, $"Process {processId} cannot be inspected by this user: run the census as the target's user (or with the rights to debug it).", ex);
        }

        if (!DiagnosticsClient.GetPublishedProcesses().Contains(processId))
        {
            process.Dispose();
            throw new HeapCensusException(
                HeapCensusError.NotDotNet,
                $"Process {processId} ({name}) has no .NET diagnostics port: it is not a .NET (Core 3.0 or later) process, it runs with DOTNET_EnableDiagnostics=0, or it uses another temporary directory (another container or TMPDIR).");
        }

        var target = new TargetProcess(process, options, new TargetInfo(processId, name));
        target.CheckDiskSpace(workingSet);
        return target;
    }

    /// <summary>Maps a failure of the diagnostics port to the census error a user can act on.</summary>
    /// <param name="failure">The exception thrown while the dump was written.</param>
    /// <param name="processId">The target's id.</param>
    /// <param name="exited">Whether the target has exited since.</param>
    /// <returns>The exception to throw.</returns>
    public static HeapCensusException MapDumpFailure(Exception failure, int processId, bool exited)
    {
        if (exited)
        {
            return new HeapCensusException(HeapCensusError.ProcessExited, $"Process {processId} exited while its heap was dumped.", failure);
        }

        string message = failure.Message;
        if (failure is UnauthorizedAccessException
            || (failure is SocketException socket && socket.SocketErrorCode == SocketError.AccessDenied)
            || message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)
            || message.Contains("access is denied", StringComparison.OrdinalIgnoreCase))
        {
            return new HeapCensusException(HeapCensusError.PermissionDenied, $"Process {processId} refused the dump: run the census as the target's user, and choose a dump directory the target may write to. ({message})", failure);
        }

        if (message.Contains("No space", StringComparison.OrdinalIgnoreCase) || message.Contains("disk full", StringComparison.OrdinalIgnoreCase))
        {
            return new HeapCensusException(HeapCensusError.NoDiskSpace, $"The dump of process {processId} ran out of disk space: choose another dump directory. ({message})", failure);
        }

        if (failure is UnsupportedCommandException)
        {
            return new HeapCensusException(HeapCensusError.Unsupported, $"The runtime of process {processId} cannot write dumps through its diagnostics port (it needs .NET 5 or later). ({message})", failure);
        }

        return new HeapCensusException(HeapCensusError.CannotAttach, $"The diagnostics port of process {processId} did not write the dump: {message}", failure);
    }

    /// <summary>Creates the path of this capture's dump.</summary>
    /// <returns>The path.</returns>
    public string CreateDumpPath() => DumpFiles.CreatePath(_options.DumpDirectory, Info.ProcessId);

    /// <summary>Asks the target's runtime to write a heap dump and measures how long it took (the target's pause).</summary>
    /// <param name="path">The dump path.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The pause.</returns>
    public async Task<TimeSpan> WriteDumpAsync(string path, CancellationToken cancellationToken)
    {
        _options.BeforeDump?.Invoke();
        var client = new DiagnosticsClient(Info.ProcessId);
        using var timeout = new CancellationTokenSource(_options.DumpTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        long started = _options.TimeProvider.GetTimestamp();
        try
        {
            await client.WriteDumpAsync(DumpType.WithHeap, path, logDumpGeneration: false, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new HeapCensusException(HeapCensusError.CannotAttach, $"Process {Info.ProcessId} did not write its dump within {_options.DumpTimeout.TotalSeconds:0} s.", ex);
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or SocketException or UnauthorizedAccessException or TimeoutException)
        {
            throw MapDumpFailure(ex, Info.ProcessId, HasExited());
        }

        TimeSpan pause = _options.TimeProvider.GetElapsedTime(started);
        if (!File.Exists(path))
        {
            throw HasExited()
                ? MapDumpFailure(new IOException("The dump file is missing."), Info.ProcessId, exited: true)
                : new HeapCensusException(HeapCensusError.PermissionDenied, $"Process {Info.ProcessId} reported its dump written, but '{path}' does not exist: the target may not be able to write to the dump directory (another user, container or mount namespace).");
        }

        return pause;
    }

    private bool HasExited()
    {
        try
        {
            _process.Refresh();
            return _process.HasExited;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            return true;
        }
    }

    private void CheckDiskSpace(long workingSet)
    {
        string directory = Path.GetDirectoryName(CreateDumpPath()) ?? Path.GetTempPath();
        long available;
        try
        {
            available = new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return; // The drive cannot be read: let the dump itself report a full disk.
        }

        if (!DumpFiles.Fits(available, workingSet))
        {
            throw new HeapCensusException(
                HeapCensusError.NoDiskSpace,
                $"The dump of process {Info.ProcessId} needs about {workingSet / (1024 * 1024)} MB (its working set), but '{directory}' has {available / (1024 * 1024)} MB free: set a dump directory on a larger disk.");
        }
    }
}
