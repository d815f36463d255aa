using System;
using System.Collections.Generic;
using Microsoft.Diagnostics.Runtime;

namespace Leakproof.HeapCensus.Internal;

/// <summary>
/// Reads tasks, async method boxes and continuations from a dump by field offsets cached per type: the state flags
/// (unfinished or not), the await state and awaited object of a box, and the waiters in a task's continuation.
/// </summary>
internal sealed partial class HeapReader
{
    /// <summary>The flags of a task that ran to completion, faulted or was canceled.</summary>
    private const int CompletedMask = 0x1600000;

    /// <summary>The deepest continuation nesting followed (wrappers inside wrappers, lists of continuations).</summary>
    private const int MaxContinuationDepth = 8;

    /// <summary>The most continuations read from one list.</summary>
    private const int MaxListItems = 4096;

    private readonly ClrHeap _heap;

    private readonly IMemoryReader _memory;

    private readonly uint _pointerSize;

    private readonly Dictionary<ulong, HeapTypeShape> _shapes = [];

    private readonly Dictionary<ulong, MachineLayout> _machines = [];

    private readonly Dictionary<ulong, ClrType?> _pointerTypes = [];

    /// <summary>Whether each method table seen by the walk is a task (the full shape is made for tasks only).</summary>
    private readonly Dictionary<ulong, bool> _isTask = [];

    /// <summary>Offsets of the task fields, once <c>System.Threading.Tasks.Task</c> is seen.</summary>
    private int _stateFlags = -1;

    private int _taskId = -1;

    private int _continuation = -1;

    private int _action = -1;

    public HeapReader(ClrHeap heap, IMemoryReader memory)
    {
        _heap = heap;
        _memory = memory;
        _pointerSize = (uint)memory.PointerSize;
    }

    /// <summary>Gets a value indicating whether the task fields were found (a runtime whose private fields moved has none).</summary>
    public bool HasTaskFields => _stateFlags >= 0 && _continuation >= 0;

    /// <summary>Gets the shape of a type.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The shape.</returns>
    public HeapTypeShape ShapeOf(ClrType type)
    {
        if (!_shapes.TryGetValue(type.MethodTable, out HeapTypeShape? shape))
        {
            shape = CreateShape(type);
            _shapes.Add(type.MethodTable, shape);
        }

        return shape;
    }

    /// <summary>
    /// Gets the shape of a type when it derives from <c>System.Threading.Tasks.Task</c>, or <see langword="null"/>: the
    /// heap walk's test. Only the base types' names are read for other types (their fields are not enumerated, which
    /// costs far more on the hundreds of types of a heap).
    /// </summary>
    /// <param name="type">The type.</param>
    /// <returns>The task shape, or <see langword="null"/> for a type that is no task.</returns>
    public HeapTypeShape? TaskShapeOf(ClrType type)
    {
        if (_shapes.TryGetValue(type.MethodTable, out HeapTypeShape? shape))
        {
            return shape.Role == HeapTypeRole.Task ? shape : null;
        }

        if (!_isTask.TryGetValue(type.MethodTable, out bool isTask))
        {
            isTask = IsTaskType(type);
            _isTask.Add(type.MethodTable, isTask);
        }

        return isTask ? ShapeOf(type) : null;
    }

    /// <summary>Gets the shape of the object at an address, or <see langword="null"/> when it is no valid object.</summary>
    /// <param name="address">The object.</param>
    /// <returns>The shape.</returns>
    public HeapTypeShape? ShapeAt(ulong address) => address == 0 || _heap.GetObjectType(address) is not { } type ? null : ShapeOf(type);

    /// <summary>Gets the type of the object at an address.</summary>
    /// <param name="address">The object.</param>
    /// <returns>The type, or <see langword="null"/> when it is no valid object.</returns>
    public ClrType? TypeAt(ulong address) => address == 0 ? null : _heap.GetObjectType(address);

    /// <summary>
    /// Gets the type of the object at an address when it holds references (the reachability pass follows no other),
    /// from the method table read at the address and a cache per method table.
    /// </summary>
    /// <param name="address">The object.</param>
    /// <returns>The type, or <see langword="null"/> when it holds no reference or is no valid object.</returns>
    public ClrType? PointerTypeAt(ulong address)
    {
        ulong methodTable = _memory.ReadPointer(address) & ~3UL; // The low bits are GC marks.
        if (methodTable == 0)
        {
            return null;
        }

        if (_pointerTypes.TryGetValue(methodTable, out ClrType? cached))
        {
            return cached;
        }

        // Cached only when ClrMD agrees on the method table: otherwise the object is looked up each time, so a
        // disagreement can never make the pass skip an object's references.
        ClrType? type = _heap.GetObjectType(address);
        ClrType? withPointers = type is { ContainsPointers: true } ? type : null;
        if (type is null || type.MethodTable == methodTable)
        {
            _pointerTypes.Add(methodTable, withPointers);
        }

        return withPointers;
    }

    /// <summary>Reads a task's continuation object.</summary>
    /// <param name="task">The task's address.</param>
    /// <returns>The continuation object's address, or 0.</returns>
    public ulong ReadContinuation(ulong task) => _continuation < 0 ? 0 : ReadPointer(task, _continuation);

    /// <summary>Tells whether a task has neither completed, faulted nor been canceled.</summary>
    /// <param name="task">The task's address.</param>
    /// <returns><see langword="true"/> when it is pending.</returns>
    public bool IsPending(ulong task) => (ReadInt(task, _stateFlags) & CompletedMask) == 0;

    /// <summary>Reads a task's id: 0 when nobody asked for it yet (the runtime assigns ids lazily).</summary>
    /// <param name="task">The task's address.</param>
    /// <returns>The id.</returns>
    public int ReadTaskId(ulong task) => _taskId < 0 ? 0 : ReadInt(task, _taskId);

    /// <summary>Tells whether a plain task runs a delegate (<c>Task.Run</c>) rather than being a promise.</summary>
    /// <param name="task">The task's address.</param>
    /// <returns><see langword="true"/> for a delegate task.</returns>
    public bool HasAction(ulong task) => _action >= 0 && ReadPointer(task, _action) != 0;

    /// <summary>Finds an async method box's state machine: its data address and layout.</summary>
    /// <param name="box">The box's address.</param>
    /// <param name="layout">The box layout.</param>
    /// <returns>The state machine, or <see langword="null"/> when it is gone (a finished Debug build method).</returns>
    public BoxMachine? ReadMachine(ulong box, BoxLayout layout)
    {
        if (layout.InlineMachine is { } inline)
        {
            return new BoxMachine(box + _pointerSize + (uint)layout.StateMachineOffset, inline);
        }

        ulong machine = ReadPointer(box, layout.StateMachineOffset);
        return machine != 0 && _heap.GetObjectType(machine) is { } type ? new BoxMachine(machine + _pointerSize, MachineLayoutOf(type)) : null;
    }

    /// <summary>Reads a state machine's await state (-1 while running, -2 when done).</summary>
    /// <param name="machine">The state machine.</param>
    /// <returns>The state, or <see langword="null"/> when unreadable.</returns>
    public int? ReadState(BoxMachine machine) =>
        machine.Layout.StateOffset < 0 ? null : _memory.Read<int>(machine.Data + (uint)machine.Layout.StateOffset);

    /// <summary>Reads what a suspended async method awaits: the only awaiter field still set (the compiler clears the others).</summary>
    /// <param name="machine">The state machine.</param>
    /// <param name="tasks">The pending tasks found in the heap walk (known objects: their type is not read again), or <see langword="null"/>.</param>
    /// <returns>The awaited object's address, or 0.</returns>
    public ulong ReadAwaited(BoxMachine machine, Dictionary<ulong, HeapNode>? tasks)
    {
        foreach (int offset in machine.Layout.AwaiterTargetOffsets)
        {
            ulong target = _memory.ReadPointer(machine.Data + (uint)offset);
            if (target != 0 && (tasks?.ContainsKey(target) == true || _heap.GetObjectType(target) is not null))
            {
                return target;
            }
        }

        return 0;
    }

    /// <summary>Adds the tasks waiting on <paramref name="task"/> (through its continuation object) to <paramref name="waiters"/>.</summary>
    /// <param name="task">The awaited task's address.</param>
    /// <param name="waiters">Receives the waiting tasks' addresses.</param>
    public void AddWaiters(ulong task, List<ulong> waiters)
    {
        if (_continuation >= 0)
        {
            AddWaiters(ReadPointer(task, _continuation), task, waiters, 0);
        }
    }

    private void AddWaiters(ulong continuation, ulong awaited, List<ulong> waiters, int depth)
    {
        if (continuation == 0 || depth > MaxContinuationDepth || ShapeAt(continuation) is not { } shape)
        {
            return;
        }

        switch (shape.Role)
        {
            case HeapTypeRole.Task:
                if (continuation != awaited)
                {
                    waiters.Add(continuation);
                }

                return;
            case HeapTypeRole.Delegate:
                AddWaiters(ReadPointer(continuation, shape.FirstOffset), awaited, waiters, depth + 1);
                return;
            case HeapTypeRole.List:
                ulong items = ReadPointer(continuation, shape.FirstOffset);
                int size = Math.Min(ReadInt(continuation, shape.SecondOffset), MaxListItems);
                for (int i = 0; items != 0 && i < size; i++)
                {
                    // An object array: method table, length (padded to a pointer), then the elements.
                    AddWaiters(_memory.ReadPointer(items + (2 * _pointerSize) + ((uint)i * _pointerSize)), awaited, waiters, depth + 1);
                }

                return;
            case HeapTypeRole.Continuation:
                foreach (int offset in shape.WaiterOffsets)
                {
                    AddWaiters(ReadPointer(continuation, offset), awaited, waiters, depth + 1);
                }

                return;
            default:
                return; // The completion sentinel, or an object the census does not follow.
        }
    }

    private int ReadInt(ulong obj, int offset) => _memory.Read<int>(obj + _pointerSize + (uint)offset);

    private ulong ReadPointer(ulong obj, int offset) => _memory.ReadPointer(obj + _pointerSize + (uint)offset);
}
