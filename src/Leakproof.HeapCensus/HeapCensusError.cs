namespace Leakproof.HeapCensus;

/// <summary>Says why a heap census could not be taken.</summary>
public enum HeapCensusError
{
    /// <summary>No process has the given id.</summary>
    ProcessNotFound = 0,

    /// <summary>The process is not a .NET process, or its diagnostics port is disabled (<c>DOTNET_EnableDiagnostics=0</c>).</summary>
    NotDotNet = 1,

    /// <summary>The diagnostics port did not answer or refused the dump.</summary>
    CannotAttach = 2,

    /// <summary>The process exited before or while the dump was written.</summary>
    ProcessExited = 3,

    /// <summary>The process belongs to another user, or the dump directory may not be written.</summary>
    PermissionDenied = 4,

    /// <summary>The dump directory has too little free space for the dump.</summary>
    NoDiskSpace = 5,

    /// <summary>The operating system or the target's runtime cannot be analyzed (no data access library found).</summary>
    Unsupported = 6,

    /// <summary>The dump could not be read: truncated, damaged or not a dump.</summary>
    CorruptDump = 7,
}
