using System.Diagnostics.CodeAnalysis;
using System.Threading.Tasks;

namespace Leakproof.Helpers.Internal;

/// <summary>Waits for a scope without the race in <see cref="TaskScope.WaitAsync"/> that can lose its outcome.</summary>
/// <remarks>
/// Workaround for a core bug (see <c>KnownCoreBugTests</c>): the last child sets the scope's finished flag under the
/// lock and publishes the outcome later, outside it, while <c>WaitAsync</c> stops waiting as soon as it sees the flag.
/// A waiter arriving in between is told the scope succeeded. Here a guard child holds the scope open until
/// <c>WaitAsync</c> has committed to waiting for the completion signal, which is raised only after the outcome is
/// published. Remove once the core is fixed.
/// </remarks>
internal static class ScopeJoin
{
    /// <summary>Waits for every child of <paramref name="scope"/> and throws its outcome.</summary>
    /// <param name="scope">A scope that has not finished.</param>
    /// <returns>The scope's <see cref="TaskScope.WaitAsync"/> task.</returns>
    [SuppressMessage("Reliability", "CA1849:Call async methods when in an async method", Justification = "Spawn never blocks; the guard must be spawned, not awaited.")]
    public static Task WaitAsync(TaskScope scope)
    {
        var release = new TaskCompletionSource();
        scope.Spawn(_ => new ValueTask(release.Task), HelperConstants.JoinGuardName);
        Task wait = scope.WaitAsync();
        release.SetResult();
        return wait;
    }
}
