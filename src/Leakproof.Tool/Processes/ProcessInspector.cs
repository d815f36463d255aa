using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Leakproof.Census;
using Leakproof.Tool.Cli;
using Microsoft.Diagnostics.NETCore.Client;

namespace Leakproof.Tool.Processes;

/// <summary>Finds .NET processes and reads what can be read cheaply about them (on Linux, from <c>/proc</c>).</summary>
internal static class ProcessInspector
{
    public static IReadOnlyList<DotnetProcess> List()
    {
        var result = new List<DotnetProcess>();
        foreach (int pid in DiagnosticsClient.GetPublishedProcesses().Distinct().Order())
        {
            if (TryDescribe(pid) is { } process)
            {
                result.Add(process);
            }
        }

        return result;
    }

    /// <summary>Resolves <c>-p</c> / <c>-n</c> to one .NET process, or throws the tool's error for it.</summary>
    public static DotnetProcess Resolve(int? processId, string? name)
    {
        if (processId is null == name is null)
        {
            throw new ToolException(ExitCodes.Usage, "give exactly one of --process-id (-p) and --name (-n)");
        }

        if (processId is int pid)
        {
            if (pid <= 0)
            {
                throw new ToolException(ExitCodes.Usage, $"'{pid}' is not a process id");
            }

            if (!IsRunning(pid))
            {
                throw new ToolException(ExitCodes.CannotAttach, $"no process with id {pid} is running");
            }

            if (!DiagnosticsClient.GetPublishedProcesses().Contains(pid))
            {
                throw new ToolException(ExitCodes.CannotAttach, $"process {pid} is not a .NET process this user can attach to (no diagnostics port; is it .NET Core 3.0 or later, running as this user, with DOTNET_EnableDiagnostics not 0?)");
            }

            return TryDescribe(pid) ?? throw new ToolException(ExitCodes.CannotAttach, $"process {pid} exited");
        }

        List<DotnetProcess> matches = List().Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            0 => throw new ToolException(ExitCodes.CannotAttach, $"no .NET process named '{name}' (run 'dotnet-leakproof ps' to see them)"),
            1 => matches[0],
            _ => throw new ToolException(ExitCodes.Usage, $"{matches.Count} .NET processes are named '{name}' ({string.Join(", ", matches.Select(m => m.ProcessId))}); pick one with -p"),
        };
    }

    public static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (Win32Exception)
        {
            return true;
        }
    }

    /// <summary>Tells whether the agent runs in a process: on Linux, a thread named <see cref="LeakproofAgent.ThreadName"/>.</summary>
    public static AgentPresence ProbeAgent(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return AgentPresence.Unknown;
        }

        try
        {
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                string comm;
                try
                {
                    comm = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                }
                catch (IOException)
                {
                    continue; // the thread ended meanwhile
                }

                if (comm == LeakproofAgent.ThreadName)
                {
                    return AgentPresence.Yes;
                }
            }

            return AgentPresence.No;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return AgentPresence.Unknown;
        }
    }

    private static DotnetProcess? TryDescribe(int pid)
    {
        string name;
        try
        {
            using var process = Process.GetProcessById(pid);
            name = process.ProcessName;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return null;
        }

        return new DotnetProcess(pid, EntryName(pid) ?? name, RuntimeVersion(pid), ProbeAgent(pid));
    }

    /// <summary>For <c>dotnet [exec] [options] app.dll</c>, the app's name; else null.</summary>
    private static string? EntryName(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            string[] argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            if (argv.Length > 1 && Path.GetFileNameWithoutExtension(argv[0]) == "dotnet")
            {
                string? dll = argv.Skip(1).FirstOrDefault(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
                return dll is null ? null : Path.GetFileNameWithoutExtension(dll);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // fall back to the executable's name
        }

        return null;
    }

    /// <summary>The version directory of the loaded <c>libcoreclr</c> (<c>.../Microsoft.NETCore.App/10.0.12/libcoreclr.so</c>).</summary>
    private static string RuntimeVersion(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "unknown";
        }

        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/maps"))
            {
                int at = line.IndexOf('/', StringComparison.Ordinal);
                if (at >= 0 && line.EndsWith("/libcoreclr.so", StringComparison.Ordinal))
                {
                    string directory = Path.GetDirectoryName(line[at..])!;
                    return Path.GetFileName(Path.GetDirectoryName(directory)) == "Microsoft.NETCore.App"
                        ? Path.GetFileName(directory)
                        : "self-contained";
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // unreadable: unknown
        }

        return "unknown";
    }
}
