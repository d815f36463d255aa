using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Helpers.Internal;

namespace Leakproof.Tests.Helpers;

/// <summary>The race contract on the scope-free fast path (no options, nobody listening to telemetry).</summary>
public sealed class DirectRaceTests : RaceContractTests
{
    protected override Task<TResult> RaceAsync<TResult>(
        IReadOnlyList<Func<CancellationToken, ValueTask<TResult>>> competitors, CancellationToken cancellationToken = default) =>
        new DirectRace<Func<CancellationToken, ValueTask<TResult>>, TResult>(
            [.. competitors], static (competitor, ct) => competitor(ct), cancellationToken).Start();
}
