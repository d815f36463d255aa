namespace Leakproof;

/// <summary>
/// Specifies what a <see cref="TaskScope"/> does when one of its children fails.
/// </summary>
public enum TaskScopeFailureMode
{
    /// <summary>
    /// The first failure cancels the scope's token, so the siblings stop early (errgroup's <c>WithContext</c>).
    /// </summary>
    FailFast = 0,

    /// <summary>
    /// A failure does not cancel the siblings; every failure is collected and reported when the scope ends.
    /// </summary>
    Supervise = 1,
}
