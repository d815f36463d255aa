namespace Leakproof.Testing;

/// <summary>Tells how a leaked operation was found.</summary>
public enum LeakState
{
    /// <summary>Still pending after the guard settled.</summary>
    Pending = 0,

    /// <summary>Garbage-collected while suspended: it can never finish, and its <c>finally</c> blocks never ran.</summary>
    Abandoned = 1,
}
