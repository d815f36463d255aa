using System;
using Leakproof.Census;

namespace Leakproof.HeapCensus;

/// <summary>A census taken from a heap dump, with what it cost.</summary>
public sealed class HeapCensusResult
{
    /// <summary>Gets the census (its <see cref="CensusSnapshot.Source"/> is <c>heap-dump</c>).</summary>
    public CensusSnapshot Snapshot { get; init; } = new();

    /// <summary>Gets how long the target was paused while the runtime wrote the dump (zero when a dump file was analyzed).</summary>
    public TimeSpan TargetPause { get; init; }

    /// <summary>Gets how long reading the dump and building the census took (the target runs meanwhile).</summary>
    public TimeSpan Analysis { get; init; }

    /// <summary>Gets the size of the dump file, which is deleted before the census is returned (kept only for <see cref="HeapCensus.AnalyzeDumpAsync"/>).</summary>
    public long DumpBytes { get; init; }
}
