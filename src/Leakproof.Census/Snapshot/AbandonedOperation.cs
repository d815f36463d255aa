using System;
using System.Text.Json.Serialization;

namespace Leakproof.Census;

/// <summary>
/// Describes an async method that was garbage-collected while suspended: it can never resume, and its
/// <c>finally</c> blocks and <c>using</c> disposals never ran.
/// </summary>
public sealed class AbandonedOperation
{
    /// <summary>Gets the id the census knew the method by, or <see langword="null"/> when it was never seen pending.</summary>
    public long? Id { get; init; }

    /// <summary>Gets when the runtime reported the collection.</summary>
    public DateTimeOffset DetectedAt { get; init; }

    /// <summary>Gets the method, as <c>Namespace.Type.Method</c>.</summary>
    public string Method { get; init; } = string.Empty;

    /// <summary>Gets the await site it was suspended at, when the state and the PDB are known.</summary>
    public CensusFrame? AwaitSite { get; init; }

    /// <summary>Gets the runtime's description of the state machine: its type, then one line per field.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Gets the owner read from the method's last execution context, or <see langword="null"/>.</summary>
    public string? Owner { get; init; }

    /// <summary>Gets the order in which the census found the abandoned method (process-wide, increasing).</summary>
    [JsonIgnore]
    internal long Sequence { get; init; }

    /// <summary>Returns the method and its await site.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => AwaitSite is not null ? $"abandoned {AwaitSite}" : $"abandoned {Method}";
}
