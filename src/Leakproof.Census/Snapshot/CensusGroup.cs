using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Leakproof.Census;

/// <summary>Describes the pending operations that share one await site (or, for other operations, one kind and type).</summary>
public sealed class CensusGroup
{
    /// <summary>Gets the grouping key: the method and await state, or the kind and type.</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>Gets the await site shared by the group, or <see langword="null"/> for operations that are no async methods.</summary>
    public CensusFrame? Site { get; init; }

    /// <summary>Gets the kind of the group's operations.</summary>
    public PendingOperationKind Kind { get; init; }

    /// <summary>Gets what the first operation of the group awaits, when known.</summary>
    public AwaitTarget? Awaiting { get; init; }

    /// <summary>Gets the number of operations in the group.</summary>
    public int Count { get; init; }

    /// <summary>Gets the age of the oldest operation in the group.</summary>
    [JsonPropertyName("oldestAgeSeconds")]
    public TimeSpan OldestAge { get; init; }

    /// <summary>Gets the age of the youngest operation in the group.</summary>
    [JsonPropertyName("youngestAgeSeconds")]
    public TimeSpan YoungestAge { get; init; }

    /// <summary>
    /// Gets the logical async stack of the group's first operation (itself first, then whoever awaits it), or
    /// <see langword="null"/> when the census built no stacks. A groups-only heap census builds this one stack per group
    /// even though it lists no operation: for a group of timers or promises, it is what tells whose they are.
    /// </summary>
    public IReadOnlyList<CensusFrame>? Stack { get; init; }

    /// <summary>Gets the ids of the group's operations.</summary>
    public IReadOnlyList<long> OperationIds { get; init; } = [];
}
