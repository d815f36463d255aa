using System;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Scopes.Internal;

/// <summary>A <c>SpawnAsync</c> caller waiting for a slot to start a child with a result.</summary>
/// <typeparam name="TResult">The child's result type.</typeparam>
internal sealed class SpawnWaiter<TResult> : SpawnWaiterEntry<Task<TResult>>
{
    /// <summary>The child's delegate.</summary>
    private readonly Func<CancellationToken, ValueTask<TResult>> _work;

    public SpawnWaiter(TaskScope scope, Func<CancellationToken, ValueTask<TResult>> work, string? name, string callerMemberName, string callerFilePath, int callerLineNumber)
        : base(scope, name, callerMemberName, callerFilePath, callerLineNumber) => _work = work;

    /// <inheritdoc/>
    protected override Task<TResult> Start() => Scope.StartChild(this, _work);
}
