using System;

namespace Leakproof.HeapCensus;

/// <summary>Options of a heap census.</summary>
public sealed class HeapCensusOptions
{
    /// <summary>Gets or sets the directory the temporary dump is written to; <see langword="null"/> for the temporary directory.</summary>
    /// <remarks>The target's runtime writes the file, so the target's user must be able to write there.</remarks>
    public string? DumpDirectory { get; set; }

    /// <summary>Gets or sets a value indicating whether await sites are resolved to source lines through portable PDBs.</summary>
    public bool ResolveSourceLines { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether each operation's logical async stack (and the coalesced chains) is built.</summary>
    public bool IncludeAsyncStacks { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether every operation is listed in <see cref="Census.CensusSnapshot.Operations"/>.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>With <see langword="false"/> the census builds only its groups (each with its operation ids, and the
    /// async stack of its first operation in <see cref="Census.CensusGroup.Stack"/>) and the abandoned methods:
    /// <see cref="Census.CensusSnapshot.Operations"/> and <see cref="Census.CensusSnapshot.Chains"/> are empty. On a heap with hundreds of thousands of pending operations that needs a
    /// fraction of the memory and time (<c>dotnet-leakproof census</c> does this for its grouped text report).</remarks>
    public bool IncludeOperations { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether a reachability pass from the GC roots separates pending work from
    /// abandoned async methods (unreachable while suspended). Without it, every unfinished task in the heap is
    /// reported as pending, garbage included.
    /// </summary>
    public bool DetectAbandoned { get; set; } = true;

    /// <summary>Gets or sets the time provider for <see cref="Census.CensusSnapshot.CapturedAt"/> and the measured durations.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets how long the diagnostics port may take to write the dump before the census fails.</summary>
    public TimeSpan DumpTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets a hook run just before the dump is requested (tests use it to end the target at that moment).</summary>
    internal Action? BeforeDump { get; set; }

    /// <summary>Gets or sets a hook run with the dump path once the dump is written (tests use it to cancel at that moment).</summary>
    internal Action<string>? AfterDump { get; set; }
}
