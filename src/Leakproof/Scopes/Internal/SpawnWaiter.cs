using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace Leakproof.Scopes.Internal;

/// <summary>A <c>SpawnAsync</c> caller waiting for a slot to start a child without a result.</summary>
internal sealed class SpawnWaiter : SpawnWaiterEntry<bool>, IValueTaskSource
{
    /// <summary>The child's delegate.</summary>
    private readonly Func<CancellationToken, ValueTask> _work;

    public SpawnWaiter(TaskScope scope, Func<CancellationToken, ValueTask> work, string? name, string callerMemberName, string callerFilePath, int callerLineNumber)
        : base(scope, name, callerMemberName, callerFilePath, callerLineNumber) => _work = work;

    /// <inheritdoc/>
    void IValueTaskSource.GetResult(short token) => GetResult(token);

    /// <inheritdoc/>
    protected override bool Start()
    {
        _ = Scope.StartChild(this, _work);
        return true;
    }
}
