using System.Collections.Generic;
using Leakproof.Census;

namespace Leakproof.HeapCensus.Internal;

/// <summary>One unfinished task found in the dump, while the census is built.</summary>
/// <remarks>
/// A census of a large heap holds hundreds of thousands of these at once, so a node keeps only what every census
/// needs (72 bytes): the kind and description follow from its shape and site, and what only a full listing needs
/// (what it awaits, its stack) lives in a detail object made on first use.
/// </remarks>
/// <param name="address">The task's address.</param>
/// <param name="shape">The task type's shape.</param>
internal sealed class HeapNode(ulong address, HeapTypeShape shape)
{
    /// <summary>The description of an async method box whose state machine (a Debug build's class) is already gone.</summary>
    private const string ClearedMachine = "async method (its state machine is already cleared)";

    private const int NoState = int.MinValue;

    private int _state = NoState;

    private NodeFlags _flags;

    private Detail? _detail;

    [System.Flags]
    private enum NodeFlags : byte
    {
        None = 0,
        TaskRun = 1,
        MachineCleared = 2,
    }

    public ulong Address { get; } = address;

    public HeapTypeShape Shape { get; } = shape;

    public long Id { get; set; }

    public ulong Awaited { get; set; }

    public HeapNode? Parent { get; set; }

    public CensusFrame? Site { get; set; }

    public int? State
    {
        get => _state == NoState ? null : _state;
        set => _state = value ?? NoState;
    }

    /// <summary>Gets the kind: the shape's, unless this plain task runs a delegate.</summary>
    public PendingOperationKind Kind => (_flags & NodeFlags.TaskRun) != 0 ? PendingOperationKind.TaskRun : Shape.Kind;

    /// <summary>Gets the description: the method of an async method, <c>Task.Run</c>, or the shape's.</summary>
    public string Description =>
        Site?.Method ?? ((_flags & NodeFlags.TaskRun) != 0 ? "Task.Run" : (_flags & NodeFlags.MachineCleared) != 0 ? ClearedMachine : Shape.Description);

    public AwaitTarget? Awaiting
    {
        get => _detail?.Awaiting;
        set => (_detail ??= new Detail()).Awaiting = value;
    }

    public IReadOnlyList<CensusFrame> Stack
    {
        get => _detail?.Stack ?? [];
        set => (_detail ??= new Detail()).Stack = value;
    }

    public bool IsRunning => Shape.Box is not null && State is < 0;

    /// <summary>Gets the frame this operation adds to a logical stack.</summary>
    public CensusFrame Frame => Site ?? ((_detail ??= new Detail()).Frame ??= new CensusFrame { Method = Description });

    /// <summary>Marks this plain task as one running a delegate (<c>Task.Run</c>).</summary>
    public void MarkTaskRun() => _flags |= NodeFlags.TaskRun;

    /// <summary>Marks this async method box as one whose state machine is already cleared.</summary>
    public void MarkMachineCleared() => _flags |= NodeFlags.MachineCleared;

    /// <summary>What only a full listing of the operations needs.</summary>
    private sealed class Detail
    {
        public AwaitTarget? Awaiting { get; set; }

        public IReadOnlyList<CensusFrame>? Stack { get; set; }

        public CensusFrame? Frame { get; set; }
    }
}
