using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Leakproof.Census.Sources;

namespace Leakproof.Census.Analysis;

/// <summary>One operation while a census is built.</summary>
internal sealed class CensusNode
{
    public CensusNode(RawOperation raw, TaskFacts facts)
    {
        Raw = raw;
        Facts = facts;
    }

    /// <summary>Gets what the source reported.</summary>
    public RawOperation Raw { get; }

    /// <summary>Gets what the inspector read.</summary>
    public TaskFacts Facts { get; }

    /// <summary>Gets the task, when the source holds it.</summary>
    public Task? Task => Raw.Task;

    /// <summary>Gets or sets the first tracked operation awaiting this one.</summary>
    public CensusNode? Parent { get; set; }

    /// <summary>Gets or sets the task scope child this operation is, if any.</summary>
    public TaskScopeChildInfo? Child { get; set; }

    /// <summary>Gets or sets the await site.</summary>
    public CensusFrame? Site { get; set; }

    /// <summary>Gets or sets the owner, once read.</summary>
    public string? Owner { get; set; }

    /// <summary>Gets or sets a value indicating whether <see cref="Owner"/> was read.</summary>
    public bool OwnerRead { get; set; }

    /// <summary>Gets or sets what the operation awaits.</summary>
    public AwaitTarget? Awaiting { get; set; }

    /// <summary>Gets or sets the age.</summary>
    public TimeSpan Age { get; set; }

    /// <summary>Gets or sets the logical async stack.</summary>
    public IReadOnlyList<CensusFrame> Stack { get; set; } = [];

    /// <summary>Gets the kind shown for the operation.</summary>
    public PendingOperationKind Kind => Child is not null ? PendingOperationKind.ScopeChild : Facts.Kind;
}
