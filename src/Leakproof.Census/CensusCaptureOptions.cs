using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Leakproof.Census;

/// <summary>Configures one census capture.</summary>
public sealed class CensusCaptureOptions
{
    /// <summary>Gets or sets a value indicating whether to build each operation's logical async stack and coalesce identical stacks.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IncludeAsyncStacks { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether to list every operation in <see cref="CensusSnapshot.Operations"/>.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>With <see langword="false"/>, and with <see cref="IncludeAsyncStacks"/> off and no <see cref="OwnerProbe"/>,
    /// the census builds only its groups (each with its operation ids) and leaves <see cref="CensusSnapshot.Operations"/>
    /// and <see cref="CensusSnapshot.Chains"/> empty: several times cheaper on a process with many pending operations.
    /// Operations are always listed when stacks or owners are asked for.</remarks>
    public bool IncludeOperations { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether to resolve await sites to source lines through portable PDBs.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ResolveSourceLines { get; set; } = true;

    /// <summary>Gets or sets a probe run inside a copy of each operation's captured execution context; what it
    /// returns (typically an <see cref="System.Threading.AsyncLocal{T}"/> value) becomes <see cref="PendingOperation.Owner"/>.</summary>
    /// <value>The default value is <see langword="null"/> (no owners).</value>
    /// <remarks>The probe runs on the capturing thread, once per operation with a context; it must be fast and must not throw.</remarks>
    public Func<string?>? OwnerProbe { get; set; }

    /// <summary>Gets or sets tasks whose awaiters (transitively) are left out of the census, with the tasks themselves:
    /// the test checker's own settle loop and the test method awaiting it.</summary>
    internal IReadOnlyCollection<Task>? Exclude { get; set; }

    /// <summary>Gets or sets the takeover sequence number (<see cref="Sources.CensusEngine.Mark"/>) after which the
    /// registry source lists tasks; 0 lists all. LeakGuard's look at the work begun since it started.</summary>
    internal long After { get; set; }
}
