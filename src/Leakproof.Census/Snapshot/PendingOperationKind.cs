namespace Leakproof.Census;

/// <summary>Classifies a pending operation by what created it.</summary>
public enum PendingOperationKind
{
    /// <summary>An operation the census could not classify.</summary>
    Other = 0,

    /// <summary>An async method suspended at an await.</summary>
    AsyncMethod = 1,

    /// <summary>A <c>Task.Delay</c> timer.</summary>
    Delay = 2,

    /// <summary>A <c>Task.Run</c> (or <c>Task.Factory.StartNew</c>) task, or the promise that unwraps its inner task.</summary>
    TaskRun = 3,

    /// <summary>A promise completed by user code, such as a <c>TaskCompletionSource</c> task.</summary>
    TaskCompletionSource = 4,

    /// <summary>A <c>SemaphoreSlim.WaitAsync</c> waiter.</summary>
    SemaphoreWait = 5,

    /// <summary>A blocked read or write on a <c>System.Threading.Channels</c> channel.</summary>
    ChannelOperation = 6,

    /// <summary>A <c>Task.WhenAll</c> or <c>Task.WhenAny</c> promise.</summary>
    WhenAllOrAny = 7,

    /// <summary>A child of a Leakproof <c>TaskScope</c>.</summary>
    ScopeChild = 8,
}
