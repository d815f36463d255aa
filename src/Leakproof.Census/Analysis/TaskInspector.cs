using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace Leakproof.Census.Analysis;

/// <summary>
/// Reads a pending task by reflection: down into an async method box (state machine, await state, the awaiter's
/// target) and up through its continuation to whoever awaits it. Field lookups are cached per type.
/// </summary>
internal sealed class TaskInspector
{
    /// <summary>The binding flags for instance fields of any visibility.</summary>
    private const BindingFlags AnyInstance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    /// <summary>The deepest continuation nesting followed (wrappers inside wrappers).</summary>
    private const int MaxContinuationDepth = 8;

    /// <summary>The runtime fields to read.</summary>
    private readonly RuntimeFields _fields;

    /// <summary>The shape of each async box type, or <see langword="null"/> for task types that are no boxes.</summary>
    private readonly ConcurrentDictionary<Type, BoxShape?> _boxes = new();

    /// <summary>The fields that lead from an awaiter (or a struct inside one) to what it awaits.</summary>
    private readonly ConcurrentDictionary<Type, FieldInfo[]> _awaiterFields = new();

    /// <summary>The fields of a continuation object that hold a task or a delegate.</summary>
    private readonly ConcurrentDictionary<Type, FieldInfo[]> _continuationFields = new();

    public TaskInspector(RuntimeFields fields) => _fields = fields;

    /// <summary>Gets the fields this inspector reads.</summary>
    public RuntimeFields Fields => _fields;

    /// <summary>Reads what a task is and, for an async method, where it is suspended and on what.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The facts.</returns>
    public TaskFacts Inspect(Task task)
    {
        try
        {
            return InspectCore(task);
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidCastException or TargetException or FieldAccessException)
        {
            // The task completed while it was read (its state machine was cleared): a race, never a census failure.
            return new TaskFacts(PendingOperationKind.Other, StateMachineNames.TypeName(task.GetType()), null, null, null);
        }
    }

    private TaskFacts InspectCore(Task task)
    {
        BoxShape? shape = _boxes.GetOrAdd(task.GetType(), FindBoxShape);
        if (shape is not null)
        {
            string method = StateMachineNames.MethodName(shape.MachineType);
            if (shape.ReadState is { } readState)
            {
                // Compiled path: no boxing of the state machine or its awaiters.
                int state = readState(task);
                return new TaskFacts(PendingOperationKind.AsyncMethod, method, shape.MachineType, state, state >= 0 ? ReadAwaitedFast(task, shape) : null);
            }

            object? machine = shape.StateMachine.GetValue(task);
            if (machine is not null)
            {
                int state = shape.State?.GetValue(machine) is int s ? s : -1;
                object? awaited = state >= 0 ? ReadAwaited(machine, shape.Awaiters) : null;
                return new TaskFacts(PendingOperationKind.AsyncMethod, method, shape.MachineType, state, awaited);
            }

            return new TaskFacts(PendingOperationKind.AsyncMethod, method, shape.MachineType, null, null);
        }

        PendingOperationKind kind = Classify(task);
        return new TaskFacts(kind, Describe(task, kind), null, null, null);
    }

    /// <summary>Classifies a task that is no async method box.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The kind.</returns>
    public PendingOperationKind Classify(Task task)
    {
        if (_boxes.GetOrAdd(task.GetType(), FindBoxShape) is not null)
        {
            return PendingOperationKind.AsyncMethod;
        }

        string name = task.GetType().Name;
        if (name.StartsWith("DelayPromise", StringComparison.Ordinal))
        {
            return PendingOperationKind.Delay;
        }

        if (name.Contains("WhenAll", StringComparison.Ordinal) || name.Contains("WhenAny", StringComparison.Ordinal))
        {
            return PendingOperationKind.WhenAllOrAny;
        }

        if (name.StartsWith("UnwrapPromise", StringComparison.Ordinal) || _fields.ReadAction(task) is not null)
        {
            return PendingOperationKind.TaskRun;
        }

        if (name == "TaskNode" && task.GetType().DeclaringType?.Name == "SemaphoreSlim")
        {
            return PendingOperationKind.SemaphoreWait;
        }

        Type type = task.GetType();
        return type == typeof(Task) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
            ? PendingOperationKind.TaskCompletionSource
            : PendingOperationKind.Other;
    }

    /// <summary>Classifies an awaited object that is no task (an <c>IValueTaskSource</c> or a custom awaiter).</summary>
    /// <param name="awaited">The object.</param>
    /// <returns>The kind.</returns>
    public static PendingOperationKind ClassifySource(object awaited) =>
        awaited.GetType().Namespace == "System.Threading.Channels" ? PendingOperationKind.ChannelOperation : PendingOperationKind.Other;

    /// <summary>Adds to <paramref name="waiters"/> the tasks (and other objects) that will run when <paramref name="task"/> completes.</summary>
    /// <param name="task">The awaited task.</param>
    /// <param name="waiters">Receives the waiters.</param>
    public void GetWaiters(Task task, List<object> waiters) => AddWaiters(_fields.ReadContinuation(task), waiters, 0);

    private void AddWaiters(object? continuation, List<object> waiters, int depth)
    {
        if (continuation is null || depth > MaxContinuationDepth || continuation.GetType() == typeof(object))
        {
            return; // Nothing, too deep, or the completion sentinel.
        }

        switch (continuation)
        {
            case Task task:
                waiters.Add(task);
                return;
            case List<object?> list:
                object?[] items;
                lock (list)
                {
                    items = list.ToArray(); // The runtime locks the list while it adds or removes continuations.
                }

                foreach (object? item in items)
                {
                    AddWaiters(item, waiters, depth + 1);
                }

                return;
            case Delegate action when action.Target is not null:
                AddWaiters(action.Target, waiters, depth + 1);
                return;
            case Delegate:
                return;
        }

        bool found = false;
        foreach (FieldInfo field in _continuationFields.GetOrAdd(continuation.GetType(), FindContinuationFields))
        {
            object? value = field.GetValue(continuation);
            if (value is not null)
            {
                found = true;
                AddWaiters(value, waiters, depth + 1);
            }
        }

        if (!found)
        {
            waiters.Add(continuation); // A waiter of our own kind (a task scope's child entry) or an unknown one.
        }
    }

    private string Describe(Task task, PendingOperationKind kind)
    {
        switch (kind)
        {
            case PendingOperationKind.Delay:
                return "Task.Delay";
            case PendingOperationKind.WhenAllOrAny:
                return task.GetType().Name.Contains("WhenAny", StringComparison.Ordinal) ? "Task.WhenAny" : "Task.WhenAll";
            case PendingOperationKind.TaskRun when _fields.ReadAction(task) is { } action:
                return "Task.Run " + (action.Method.DeclaringType is { } t ? StateMachineNames.TypeName(t) + "." : string.Empty) + StateMachineNames.MemberName(action.Method.Name);
            case PendingOperationKind.TaskRun:
                return "Task.Run (unwrap)";
            case PendingOperationKind.SemaphoreWait:
                return "SemaphoreSlim.WaitAsync";
            case PendingOperationKind.TaskCompletionSource:
                return task.GetType().IsGenericType ? $"TaskCompletionSource<{StateMachineNames.TypeName(task.GetType().GetGenericArguments()[0])}>" : "TaskCompletionSource";
            default:
                return StateMachineNames.TypeName(task.GetType());
        }
    }

    private object? ReadAwaitedFast(Task box, BoxShape shape)
    {
        for (int i = 0; i < shape.Awaiters.Length; i++)
        {
            object? target = shape.ReadAwaiters[i] is { } read
                ? read(box)
                : shape.StateMachine.GetValue(box) is { } machine && shape.Awaiters[i].GetValue(machine) is { } awaiter ? Unwrap(awaiter, 0) : null;
            if (target is not null)
            {
                return target; // The compiler clears an awaiter after resuming, so only the current one is set.
            }
        }

        return null;
    }

    private object? ReadAwaited(object machine, FieldInfo[] awaiters)
    {
        foreach (FieldInfo field in awaiters)
        {
            object? awaiter = field.GetValue(machine);
            if (awaiter is null)
            {
                continue;
            }

            object? target = Unwrap(awaiter, 0);
            if (target is not null)
            {
                return target; // The compiler clears an awaiter after resuming, so only the current one is set.
            }
        }

        return null;
    }

    private object? Unwrap(object value, int depth)
    {
        if (value is Task || depth > 3)
        {
            return value;
        }

        Type type = value.GetType();
        if (!type.IsValueType)
        {
            return value; // An IValueTaskSource (a channel's blocked writer) or a custom awaiter object.
        }

        foreach (FieldInfo field in _awaiterFields.GetOrAdd(type, FindAwaiterFields))
        {
            object? inner = field.GetValue(value);
            if (inner is not null && Unwrap(inner, depth + 1) is { } target)
            {
                return target;
            }
        }

        return null;
    }

    private static FieldInfo[] FindAwaiterFields(Type type)
    {
        // TaskAwaiter and ConfiguredTaskAwaiter hold m_task; (Configured)ValueTaskAwaiter hold a ValueTask in _value,
        // whose _obj is a Task or an IValueTaskSource. Any other struct: follow its reference and struct fields.
        var fields = new List<FieldInfo>();
        foreach (FieldInfo field in type.GetFields(AnyInstance))
        {
            if (field.Name is "m_task" or "_value" or "_obj" || typeof(Task).IsAssignableFrom(field.FieldType))
            {
                fields.Insert(0, field);
            }
            else if (!field.FieldType.IsPrimitive && !field.FieldType.IsEnum && field.FieldType != typeof(string))
            {
                fields.Add(field);
            }
        }

        return [.. fields];
    }

    private static FieldInfo[] FindContinuationFields(Type type)
    {
        var fields = new List<FieldInfo>();
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(AnyInstance | BindingFlags.DeclaredOnly))
            {
                // A continuation wrapper's _innerTask is the awaited task itself, not its waiter.
                if (field.Name != "_innerTask" && (typeof(Task).IsAssignableFrom(field.FieldType) || typeof(Delegate).IsAssignableFrom(field.FieldType)))
                {
                    fields.Add(field);
                }
            }
        }

        return [.. fields];
    }

    private static BoxShape? FindBoxShape(Type taskType)
    {
        FieldInfo? machineField = taskType.GetField("StateMachine", AnyInstance);
        if (machineField is null || !typeof(IAsyncStateMachine).IsAssignableFrom(machineField.FieldType))
        {
            return null;
        }

        Type machine = machineField.FieldType;
        FieldInfo? state = machine.GetField("<>1__state", AnyInstance);
        var awaiters = new List<FieldInfo>();
        foreach (FieldInfo field in machine.GetFields(AnyInstance))
        {
            if (field.Name.StartsWith("<>u__", StringComparison.Ordinal))
            {
                awaiters.Add(field);
            }
        }

        FieldInfo? stateField = state?.FieldType == typeof(int) ? state : null;
        // Only a struct state machine (Release builds) is compiled: a class one (Debug) is set to null when the method
        // completes, which may race with the census, and the reflection path handles that.
        Func<object, int>? readState = stateField is null || !machine.IsValueType ? null : FieldPaths.CompileInt(taskType, [machineField, stateField]);
        var readAwaiters = new Func<object, object?>?[awaiters.Count];
        for (int i = 0; i < awaiters.Count && readState is not null; i++)
        {
            readAwaiters[i] = AwaiterTargetPath(awaiters[i].FieldType) is { } tail
                ? FieldPaths.CompileObject(taskType, [machineField, awaiters[i], .. tail])
                : null;
        }

        return new BoxShape(machineField, machine, stateField, [.. awaiters], readState, readAwaiters);
    }

    /// <summary>Finds the fields from a known awaiter to its target: <c>m_task</c> for task awaiters, <c>_value._obj</c>
    /// for value-task awaiters; <see langword="null"/> for others (read by reflection).</summary>
    private static FieldInfo[]? AwaiterTargetPath(Type awaiter)
    {
        if (!awaiter.IsValueType)
        {
            return null;
        }

        if (awaiter.GetField("m_task", AnyInstance) is { } task && typeof(Task).IsAssignableFrom(task.FieldType))
        {
            return [task];
        }

        if (awaiter.GetField("_value", AnyInstance) is { FieldType.IsValueType: true } value
            && value.FieldType.GetField("_obj", AnyInstance) is { } obj && obj.FieldType == typeof(object))
        {
            return [value, obj];
        }

        return null;
    }

    /// <summary>How to read one async box type.</summary>
    /// <param name="StateMachine">The box's <c>StateMachine</c> field.</param>
    /// <param name="MachineType">The compiler-generated state machine type.</param>
    /// <param name="State">The <c>&lt;&gt;1__state</c> field, or <see langword="null"/> if missing.</param>
    /// <param name="Awaiters">The <c>&lt;&gt;u__N</c> awaiter fields.</param>
    /// <param name="ReadState">The compiled state reader, or <see langword="null"/> to use reflection.</param>
    /// <param name="ReadAwaiters">A compiled target reader per awaiter field, or <see langword="null"/> entries for reflection.</param>
    private sealed record BoxShape(
        FieldInfo StateMachine,
        Type MachineType,
        FieldInfo? State,
        FieldInfo[] Awaiters,
        Func<object, int>? ReadState,
        Func<object, object?>?[] ReadAwaiters);
}
