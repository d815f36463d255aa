using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Tests.Helpers;

/// <summary>The race contract on a scope: giving options always runs the competitors as children of a scope.</summary>
public sealed class ScopedRaceTests : RaceContractTests
{
    protected override Task<TResult> RaceAsync<TResult>(
        IReadOnlyList<Func<CancellationToken, ValueTask<TResult>>> competitors, CancellationToken cancellationToken = default) =>
        TaskScope.RaceAsync(competitors, new TaskScopeOptions { Name = "contract" }, cancellationToken);
}
