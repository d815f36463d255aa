using System;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Scopes.Internal;

/// <summary>A child accepted by <c>Spawn</c> while the scope was full; nobody waits on it but the scope.</summary>
internal sealed class QueuedSpawnEntry : QueuedChildEntry
{
    /// <summary>The child's delegate.</summary>
    private readonly Func<CancellationToken, ValueTask> _work;

    public QueuedSpawnEntry(TaskScope scope, Func<CancellationToken, ValueTask> work, string? name, string callerMemberName, string callerFilePath, int callerLineNumber)
        : base(scope, name, callerMemberName, callerFilePath, callerLineNumber) => _work = work;

    /// <inheritdoc/>
    public override bool IsAcceptedChild => true;

    /// <inheritdoc/>
    public override void StartNow() => _ = Scope.StartChild(this, _work);
}
