using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Leakproof.Census.Analysis;

/// <summary>Describes the current process once.</summary>
internal static class ProcessInfo
{
    /// <summary>Gets the current process's description.</summary>
    public static CensusProcessInfo Current { get; } = Create();

    private static CensusProcessInfo Create()
    {
        using Process process = Process.GetCurrentProcess();
        return new CensusProcessInfo
        {
            ProcessId = Environment.ProcessId,
            ProcessName = process.ProcessName,
            Runtime = RuntimeInformation.FrameworkDescription,
            OperatingSystem = RuntimeInformation.OSDescription,
            ProcessorCount = Environment.ProcessorCount,
        };
    }
}
