using Leakproof.Census;

namespace Leakproof.HeapCensus.Internal;

/// <summary>How to read the objects of one type in the dump; computed once per method table (reading by cached offset is what makes the census fast).</summary>
internal sealed class HeapTypeShape
{
    /// <summary>Gets or sets what the type is to the census.</summary>
    public HeapTypeRole Role { get; set; }

    /// <summary>Gets or sets the kind of a task type that is no async method box (plain tasks are told apart per instance).</summary>
    public PendingOperationKind Kind { get; set; }

    /// <summary>Gets or sets the short description of a task type (the method of an async method box).</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>Gets or sets a value indicating whether the type is <c>Task</c> or <c>Task&lt;T&gt;</c> itself (a promise or a <c>Task.Run</c> task).</summary>
    public bool IsPlainTask { get; set; }

    /// <summary>Gets or sets the async method box layout, for boxes.</summary>
    public BoxLayout? Box { get; set; }

    /// <summary>Gets or sets the offset of a delegate's <c>_target</c>, a list's <c>_items</c>, or -1.</summary>
    public int FirstOffset { get; set; } = -1;

    /// <summary>Gets or sets the offset of a list's <c>_size</c>, or -1.</summary>
    public int SecondOffset { get; set; } = -1;

    /// <summary>Gets or sets the offsets of the fields of a continuation object that lead to its waiter.</summary>
    public int[] WaiterOffsets { get; set; } = [];
}
