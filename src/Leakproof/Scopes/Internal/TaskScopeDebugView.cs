using System.Collections.Generic;
using System.Diagnostics;

namespace Leakproof.Scopes.Internal;

/// <summary>Shows a scope's running children in the debugger.</summary>
internal sealed class TaskScopeDebugView
{
    /// <summary>The scope being shown.</summary>
    private readonly TaskScope _scope;

    public TaskScopeDebugView(TaskScope scope) => _scope = scope;

    /// <summary>Gets the running children.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.RootHidden)]
    public IReadOnlyList<TaskScopeChildInfo> Children => _scope.GetActiveChildren();
}
