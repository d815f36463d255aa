namespace Leakproof.Scopes.Internal;

/// <summary>Why a scope's token was cancelled; the first reason wins and decides the scope's outcome.</summary>
internal enum CancelReason
{
    /// <summary>Not cancelled.</summary>
    None = 0,

    /// <summary>A child or the body failed in fail-fast mode.</summary>
    Failure,

    /// <summary>The token passed when the scope was created was cancelled.</summary>
    External,

    /// <summary>The scope's deadline passed.</summary>
    Deadline,

    /// <summary>The owner called <see cref="TaskScope.Cancel"/>.</summary>
    Requested,
}
