using System.Collections.Generic;
using Leakproof.Census;

namespace Leakproof.HeapCensus.Internal;

/// <summary>One unfinished task found in the dump, while the census is built.</summary>
/// <param name="address">The task's address.</param>
/// <param name="shape">The task type's shape.</param>
internal sealed class HeapNode(ulong address, HeapTypeShape shape)
{
    private CensusFrame? _frame;

    public ulong Address { get; } = address;

    public HeapTypeShape Shape { get; } = shape;

    public long Id { get; set; }

    public PendingOperationKind Kind { get; set; }

    public string Description { get; set; } = string.Empty;

    public int? State { get; set; }

    public ulong Awaited { get; set; }

    public HeapNode? Parent { get; set; }

    public CensusFrame? Site { get; set; }

    public AwaitTarget? Awaiting { get; set; }

    public IReadOnlyList<CensusFrame> Stack { get; set; } = [];

    public bool IsRunning => Shape.Box is not null && State is < 0;

    /// <summary>Gets the frame this operation adds to a logical stack.</summary>
    public CensusFrame Frame => Site ?? (_frame ??= new CensusFrame { Method = Description });
}
