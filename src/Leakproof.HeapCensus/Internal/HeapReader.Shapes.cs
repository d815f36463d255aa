using System;
using System.Collections.Generic;
using Leakproof.Census;
using Microsoft.Diagnostics.Runtime;

namespace Leakproof.HeapCensus.Internal;

/// <content>Type shapes: which heap types are tasks, boxes or delegates, their field offsets, and what kind of operation each is.</content>
internal sealed partial class HeapReader
{
    private HeapTypeShape CreateShape(ClrType type)
    {
        string name = type.Name ?? string.Empty;
        if (name == "System.Object")
        {
            return new HeapTypeShape { Role = HeapTypeRole.Sentinel };
        }

        for (ClrType? t = type; t is not null; t = t.BaseType)
        {
            switch (t.Name)
            {
                case "System.Threading.Tasks.Task":
                    LearnTaskFields(t);
                    return CreateTaskShape(type, name);
                case "System.Delegate":
                    return new HeapTypeShape { Role = HeapTypeRole.Delegate, FirstOffset = type.GetFieldByName("_target")?.Offset ?? -1 } is { FirstOffset: >= 0 } d
                        ? d
                        : new HeapTypeShape();
                default:
                    break;
            }
        }

        if (name.StartsWith("System.Collections.Generic.List<", StringComparison.Ordinal)
            && type.GetFieldByName("_items") is { } items && type.GetFieldByName("_size") is { } size)
        {
            return new HeapTypeShape { Role = HeapTypeRole.List, FirstOffset = items.Offset, SecondOffset = size.Offset };
        }

        var offsets = new List<int>();
        foreach (ClrInstanceField field in type.Fields)
        {
            if (field.IsObjectReference && field.Name != "_innerTask" && (field.Name is "m_task" or "m_action" or "_continuation" || IsTaskOrDelegate(field.Type)))
            {
                offsets.Add(field.Offset); // A continuation wrapper's _innerTask is the awaited task itself, not its waiter.
            }
        }

        return offsets.Count > 0 ? new HeapTypeShape { Role = HeapTypeRole.Continuation, WaiterOffsets = [.. offsets] } : new HeapTypeShape();
    }

    private bool IsTaskType(ClrType type)
    {
        for (ClrType? t = type; t is not null; t = t.BaseType)
        {
            if (t != type && _isTask.TryGetValue(t.MethodTable, out bool known))
            {
                return known;
            }

            if (t.Name == "System.Threading.Tasks.Task")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTaskOrDelegate(ClrType? type)
    {
        for (ClrType? t = type; t is not null; t = t.BaseType)
        {
            if (t.Name is "System.Threading.Tasks.Task" or "System.Delegate")
            {
                return true;
            }
        }

        return false;
    }

    private void LearnTaskFields(ClrType task)
    {
        if (_stateFlags >= 0)
        {
            return;
        }

        _stateFlags = task.GetFieldByName("m_stateFlags")?.Offset ?? -1;
        _taskId = task.GetFieldByName("m_taskId")?.Offset ?? -1;
        _continuation = task.GetFieldByName("m_continuationObject")?.Offset ?? -1;
        _action = task.GetFieldByName("m_action")?.Offset ?? -1;
    }

    private HeapTypeShape CreateTaskShape(ClrType type, string name)
    {
        var shape = new HeapTypeShape { Role = HeapTypeRole.Task };
        if (type.GetFieldByName("StateMachine") is { } machineField)
        {
            // Release: the struct state machine's type is the field's. Debug: a class, shared code (System.__Canon).
            MachineLayout? inline = machineField.Type is { IsValueType: true } machine ? MachineLayoutOf(machine) : null;
            shape.Box = new BoxLayout(machineField.Offset, inline);
            shape.Kind = PendingOperationKind.AsyncMethod;
            shape.Description = inline is not null ? HeapNames.MethodName(inline.Name) : string.Empty;
            return shape;
        }

        (shape.Kind, shape.Description) = Classify(name);
        shape.IsPlainTask = name == "System.Threading.Tasks.Task" || name.StartsWith("System.Threading.Tasks.Task<", StringComparison.Ordinal);
        return shape;
    }

    /// <summary>Classifies a task type that is no async method box, by the runtime's type names.</summary>
    /// <param name="name">The type name.</param>
    /// <returns>The kind and a short description.</returns>
    public static (PendingOperationKind Kind, string Description) Classify(string name)
    {
        if (name.Contains("DelayPromise", StringComparison.Ordinal))
        {
            return (PendingOperationKind.Delay, "Task.Delay");
        }

        if (name.Contains("WhenAny", StringComparison.Ordinal))
        {
            return (PendingOperationKind.WhenAllOrAny, "Task.WhenAny");
        }

        if (name.Contains("WhenAll", StringComparison.Ordinal))
        {
            return (PendingOperationKind.WhenAllOrAny, "Task.WhenAll");
        }

        if (name.Contains("UnwrapPromise", StringComparison.Ordinal))
        {
            return (PendingOperationKind.TaskRun, "Task.Run (unwrap)");
        }

        if (name == "System.Threading.SemaphoreSlim+TaskNode")
        {
            return (PendingOperationKind.SemaphoreWait, "SemaphoreSlim.WaitAsync");
        }

        if (name == "System.Threading.Tasks.Task")
        {
            return (PendingOperationKind.TaskCompletionSource, "TaskCompletionSource");
        }

        if (name.StartsWith("System.Threading.Tasks.Task<", StringComparison.Ordinal))
        {
            return (PendingOperationKind.TaskCompletionSource, "TaskCompletionSource<" + HeapNames.TypeName(name["System.Threading.Tasks.Task<".Length..^1]) + ">");
        }

        if (name.StartsWith("System.Threading.Channels.", StringComparison.Ordinal))
        {
            return (PendingOperationKind.ChannelOperation, HeapNames.TypeName(name));
        }

        return (PendingOperationKind.Other, HeapNames.TypeName(name));
    }

    private MachineLayout MachineLayoutOf(ClrType machine)
    {
        if (!_machines.TryGetValue(machine.MethodTable, out MachineLayout? layout))
        {
            layout = CreateMachineLayout(machine);
            _machines.Add(machine.MethodTable, layout);
        }

        return layout;
    }

    private static MachineLayout CreateMachineLayout(ClrType machine)
    {
        int state = machine.GetFieldByName("<>1__state")?.Offset ?? -1;
        var awaiters = new List<int>();
        foreach (ClrInstanceField field in machine.Fields)
        {
            if (field.Name is null || !field.Name.StartsWith("<>u__", StringComparison.Ordinal))
            {
                continue;
            }

            if (field.IsObjectReference)
            {
                awaiters.Add(field.Offset); // A class awaiter: the awaiter itself is what the method waits on.
                continue;
            }

            // TaskAwaiter / ConfiguredTaskAwaiter hold m_task; (Configured)ValueTaskAwaiter hold _value._obj. When
            // the field's type cannot be read, its first reference (reference fields come first in a struct) is tried.
            int inner = 0;
            if (field.Type is { } awaiter)
            {
                if (awaiter.GetFieldByName("m_task") is { } task)
                {
                    inner = task.Offset;
                }
                else if (awaiter.GetFieldByName("_value") is { } value)
                {
                    inner = value.Offset + (value.Type?.GetFieldByName("_obj")?.Offset ?? 0);
                }
                else if (awaiter.Fields.Length == 0 || !awaiter.ContainsPointers)
                {
                    continue; // YieldAwaiter and other awaiters with no reference.
                }
            }

            awaiters.Add(field.Offset + inner);
        }

        int token = 0;
        foreach (ClrMethod method in machine.Methods)
        {
            if (method.Name == "MoveNext")
            {
                token = method.MetadataToken;
                break;
            }
        }

        return new MachineLayout(machine, machine.Name ?? "?", state, [.. awaiters], machine.Module?.Name, token);
    }
}
