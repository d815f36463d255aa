using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Census.Analysis;

/// <summary>
/// Finds the private runtime fields the census reads, once, and checks their types. Private names are no contract:
/// every member may be <see langword="null"/> and every reader fails soft.
/// </summary>
internal sealed class RuntimeFields
{
    /// <summary>The binding flags for private instance fields.</summary>
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    /// <summary>The binding flags for private static fields.</summary>
    private const BindingFlags Static = BindingFlags.Static | BindingFlags.NonPublic;

    /// <summary>Gets the fields of the running runtime.</summary>
    public static RuntimeFields Current { get; } = Detect(typeof(Task));

    /// <summary>Gets <c>Task.s_asyncDebuggingEnabled</c> (static bool), or <see langword="null"/>.</summary>
    public FieldInfo? AsyncDebuggingEnabled { get; private init; }

    /// <summary>Gets <c>Task.s_currentActiveTasks</c> (static <c>Dictionary&lt;int, Task&gt;</c>), or <see langword="null"/>.</summary>
    public FieldInfo? CurrentActiveTasks { get; private init; }

    /// <summary>Gets <c>Task.m_stateObject</c> (an async box keeps its captured context there), or <see langword="null"/>.</summary>
    public FieldInfo? StateObject { get; private init; }

    /// <summary>Gets <c>Task.m_continuationObject</c> (who awaits the task), or <see langword="null"/>.</summary>
    public FieldInfo? ContinuationObject { get; private init; }

    /// <summary>Gets <c>Task.m_action</c> (the delegate of a <c>Task.Run</c> task), or <see langword="null"/>.</summary>
    public FieldInfo? Action { get; private init; }

    /// <summary>Gets <c>Task.m_contingentProperties</c>, or <see langword="null"/>.</summary>
    public FieldInfo? ContingentProperties { get; private init; }

    /// <summary>Gets <c>ContingentProperties.m_capturedContext</c>, or <see langword="null"/>.</summary>
    public FieldInfo? CapturedContext { get; private init; }

    /// <summary>Gets a compiled reader of <see cref="StateObject"/>, or <see langword="null"/>.</summary>
    private Func<object, object?>? ReadStateObject { get; init; }

    /// <summary>Gets a compiled reader of <see cref="ContinuationObject"/>, or <see langword="null"/>.</summary>
    private Func<object, object?>? ReadContinuationObject { get; init; }

    /// <summary>Gets the names of the fields that were missing or had an unexpected type.</summary>
    public IReadOnlyList<string> Missing { get; private init; } = [];

    /// <summary>Gets a value indicating whether the active-task registry can be used.</summary>
    public bool HasRegistry => AsyncDebuggingEnabled is not null && CurrentActiveTasks is not null;

    /// <summary>Looks the fields up on <paramref name="taskType"/>; tests pass a stand-in type to simulate a runtime without them.</summary>
    /// <param name="taskType">The type that plays <see cref="Task"/>.</param>
    /// <returns>The detected fields.</returns>
    public static RuntimeFields Detect(Type taskType)
    {
        var missing = new List<string>();
        FieldInfo? contingent = Find(taskType, "m_contingentProperties", Instance, null, missing);
        FieldInfo? stateObject = Find(taskType, "m_stateObject", Instance, typeof(object), missing);
        FieldInfo? continuation = Find(taskType, "m_continuationObject", Instance, typeof(object), missing);
        return new RuntimeFields
        {
            ReadStateObject = stateObject is null ? null : FieldPaths.CompileObject(taskType, [stateObject]),
            ReadContinuationObject = continuation is null ? null : FieldPaths.CompileObject(taskType, [continuation]),
            AsyncDebuggingEnabled = Find(taskType, "s_asyncDebuggingEnabled", Static, typeof(bool), missing),
            CurrentActiveTasks = Find(taskType, "s_currentActiveTasks", Static, typeof(Dictionary<int, Task>), missing),
            StateObject = stateObject,
            ContinuationObject = continuation,
            Action = Find(taskType, "m_action", Instance, typeof(Delegate), missing),
            ContingentProperties = contingent,
            CapturedContext = contingent is null ? null : Find(contingent.FieldType, "m_capturedContext", Instance, typeof(ExecutionContext), missing),
            Missing = missing,
        };
    }

    /// <summary>Reads the active-task dictionary; <see langword="null"/> until the runtime created it.</summary>
    /// <returns>The dictionary, or <see langword="null"/>.</returns>
    public Dictionary<int, Task>? ReadActiveTasks() => CurrentActiveTasks?.GetValue(null) as Dictionary<int, Task>;

    /// <summary>Reads the context captured by a task (async box or delegate task), if any.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The context, or <see langword="null"/>.</returns>
    public ExecutionContext? ReadContext(Task task)
    {
        object? state = ReadStateObject is { } read ? read(task) : StateObject?.GetValue(task);
        if (state is ExecutionContext boxContext)
        {
            return boxContext;
        }

        object? contingent = ContingentProperties?.GetValue(task);
        return contingent is null ? null : CapturedContext?.GetValue(contingent) as ExecutionContext;
    }

    /// <summary>Reads what will run when the task completes.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The continuation object, or <see langword="null"/>.</returns>
    public object? ReadContinuation(Task task) => ReadContinuationObject is { } read ? read(task) : ContinuationObject?.GetValue(task);

    /// <summary>Reads the delegate of a delegate-backed task.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The delegate, or <see langword="null"/> for promise-style tasks.</returns>
    public Delegate? ReadAction(Task task) => Action?.GetValue(task) as Delegate;

    private static FieldInfo? Find(Type type, string name, BindingFlags flags, Type? expected, List<string> missing)
    {
        FieldInfo? field = type.GetField(name, flags);
        if (field is null || (expected is not null && !expected.IsAssignableFrom(field.FieldType) && field.FieldType != expected))
        {
            missing.Add($"{type.Name}.{name}");
            return null;
        }

        return field;
    }
}
