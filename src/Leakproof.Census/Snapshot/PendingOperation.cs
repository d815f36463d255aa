using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Leakproof.Census;

/// <summary>Describes one pending async operation seen by the census.</summary>
public sealed class PendingOperation
{
    /// <summary>Gets the operation's id: the task id, unique among live tasks of the process.</summary>
    public long Id { get; init; }

    /// <summary>Gets what kind of operation this is.</summary>
    public PendingOperationKind Kind { get; init; }

    /// <summary>Gets a short description: the method of an async method, otherwise the task's type.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Gets where the operation is suspended, or <see langword="null"/> when it is no async method.</summary>
    public CensusFrame? AwaitSite { get; init; }

    /// <summary>Gets what the operation awaits, or <see langword="null"/> when unknown.</summary>
    public AwaitTarget? Awaiting { get; init; }

    /// <summary>Gets a value indicating whether the method is running now (not parked at an await).</summary>
    public bool IsRunning { get; init; }

    /// <summary>Gets the logical async stack: this operation's frame first, then the operations awaiting it.</summary>
    public IReadOnlyList<CensusFrame> AsyncStack { get; init; } = [];

    /// <summary>Gets the id of the operation awaiting this one, or <see langword="null"/>.</summary>
    public long? AwaitedById { get; init; }

    /// <summary>Gets where the operation was created, when known.</summary>
    public CreationSite? CreatedAt { get; init; }

    /// <summary>Gets how long the operation has been pending: since the census first saw it, or since a scope child started.</summary>
    [JsonPropertyName("ageSeconds")]
    public TimeSpan Age { get; init; }

    /// <summary>Gets the name of the task scope that owns the operation, for scope children.</summary>
    public string? ScopeName { get; init; }

    /// <summary>Gets the owner read from the operation's execution context by the capture's owner probe, or <see langword="null"/>.</summary>
    public string? Owner { get; init; }

    /// <summary>Gets the registry source's takeover sequence number (0 when unknown); not serialized.</summary>
    internal long TakeoverSequence { get; init; }

    /// <summary>Returns the operation as <c>#id Kind Description at site</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"#{Id} {Kind} {Description}" + (AwaitSite is { File: not null } site ? $" at {site.File}:{site.Line}" : string.Empty);
}
