namespace Leakproof.HeapCensus.Internal;

/// <summary>What a type in the dump is to the census.</summary>
internal enum HeapTypeRole
{
    /// <summary>Nothing the census reads.</summary>
    Other = 0,

    /// <summary>A task (an async method box is one too).</summary>
    Task = 1,

    /// <summary>A delegate: its target may be an async method box or a continuation wrapper.</summary>
    Delegate = 2,

    /// <summary>The <c>List&lt;object&gt;</c> a task keeps when several continuations wait on it.</summary>
    List = 3,

    /// <summary>The bare object the runtime stores as the continuation of a completed task.</summary>
    Sentinel = 4,

    /// <summary>Another continuation object (a wrapper or a task continuation) whose fields lead to the waiter.</summary>
    Continuation = 5,
}
