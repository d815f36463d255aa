using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Leakproof.Census;

/// <summary>Describes identical logical async stacks coalesced into one entry (like pprof's <c>debug=1</c>).</summary>
public sealed class CensusChainGroup
{
    /// <summary>Gets the shared stack: the innermost frame first.</summary>
    public IReadOnlyList<CensusFrame> Frames { get; init; } = [];

    /// <summary>Gets the number of chains with this stack.</summary>
    public int Count { get; init; }

    /// <summary>Gets the age of the oldest innermost operation.</summary>
    [JsonPropertyName("oldestAgeSeconds")]
    public TimeSpan OldestAge { get; init; }

    /// <summary>Gets the ids of the innermost operations of the chains.</summary>
    public IReadOnlyList<long> OperationIds { get; init; } = [];
}
