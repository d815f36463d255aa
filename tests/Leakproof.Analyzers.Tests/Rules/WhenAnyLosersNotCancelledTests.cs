using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Leakproof.Analyzers.Rules.WhenAnyLosersNotCancelledAnalyzer>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class WhenAnyLosersNotCancelledTests
{
    private const string Replicas = """
        class Replica
        {
            public Task<string> QueryAsync(CancellationToken ct) => Task.FromResult("");
        }
        """;

    [Fact]
    public Task FirstWins_LosersLeftRunning_Reports() => Verify.VerifyAnalyzerAsync(Replicas + """
        class C
        {
            async Task<string> M(Replica a, Replica b, CancellationToken ct)
            {
                Task<string> winner = await {|LEAK2002:Task.WhenAny(a.QueryAsync(ct), b.QueryAsync(ct))|};
                return await winner;
            }
        }
        """);

    [Fact]
    public Task FirstWins_OverProjection_Reports() => Verify.VerifyAnalyzerAsync(Replicas + """
        class C
        {
            async Task<string> M(Replica[] replicas, CancellationToken ct)
            {
                var winner = await {|LEAK2002:Task.WhenAny(replicas.Select(r => r.QueryAsync(ct)))|};
                return await winner;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_LosersCancelled() => Verify.VerifyAnalyzerAsync(Replicas + """
        class C
        {
            async Task<string> M(Replica a, Replica b, CancellationToken ct)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var winner = await Task.WhenAny(a.QueryAsync(cts.Token), b.QueryAsync(cts.Token));
                cts.Cancel();
                return await winner;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_LosersAwaitedAfterwards() => Verify.VerifyAnalyzerAsync(Replicas + """
        class C
        {
            async Task<string> M(Replica a, Replica b, CancellationToken ct)
            {
                var first = a.QueryAsync(ct);
                var second = b.QueryAsync(ct);
                var winner = await Task.WhenAny(first, second);
                await Task.WhenAll(first, second);
                return await winner;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ProcessAsTheyComplete() => Verify.VerifyAnalyzerAsync(Replicas + """
        class C
        {
            async Task M(Replica[] replicas, CancellationToken ct)
            {
                var pending = replicas.Select(r => r.QueryAsync(ct)).ToList();
                while (pending.Count > 0)
                {
                    var done = await Task.WhenAny(pending);
                    pending.Remove(done);
                    Console.WriteLine(await done);
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_TimeoutShapeBelongsToLeak2003() => Verify.VerifyAnalyzerAsync(Replicas + """
        class C
        {
            async Task M(Replica a, CancellationToken ct)
            {
                await Task.WhenAny(a.QueryAsync(ct), Task.Delay(1000, ct));
            }
        }
        """);
}
