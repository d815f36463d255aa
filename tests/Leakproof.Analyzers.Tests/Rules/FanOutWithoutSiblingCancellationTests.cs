using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Leakproof.Analyzers.Rules.FanOutWithoutSiblingCancellationAnalyzer,
    Leakproof.Analyzers.Rules.FanOutWithoutSiblingCancellationCodeFix>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class FanOutWithoutSiblingCancellationTests
{
    private const string Service = """
        class Service
        {
            public Task<string> GetAsync(string key, CancellationToken ct) => Task.FromResult(key);
            public Task PingAsync() => Task.CompletedTask;
        }
        """;

    [Fact]
    public Task WhenAll_OfCancellableCalls_Reports() => Verify.VerifyAnalyzerAsync(Service + """
        class C
        {
            async Task M(Service s, CancellationToken ct)
            {
                await {|LEAK2001:Task.WhenAll(s.GetAsync("a", ct), s.GetAsync("b", ct))|};
            }
        }
        """);

    [Fact]
    public Task WhenAll_OfSelectProjection_Reports() => Verify.VerifyAnalyzerAsync(Service + """
        class C
        {
            Task<string[]> M(Service s, string[] keys, CancellationToken ct) =>
                {|LEAK2001:Task.WhenAll(keys.Select(k => s.GetAsync(k, ct)))|};
        }
        """);

    [Fact]
    public Task WhenAll_OfListFilledInLoop_Reports() => Verify.VerifyAnalyzerAsync(Service + """
        class C
        {
            async Task M(Service s, string[] keys, CancellationToken ct)
            {
                var tasks = new List<Task<string>>();
                foreach (var key in keys) { tasks.Add(s.GetAsync(key, ct)); }
                await {|LEAK2001:Task.WhenAll(tasks)|};
            }
        }
        """);

    [Fact]
    public Task StartedTasksAwaitedOneByOne_Reports() => Verify.VerifyAnalyzerAsync(Service + """
        class C
        {
            async Task<string> M(Service s, CancellationToken ct)
            {
                var a = s.GetAsync("a", ct);
                var b = s.GetAsync("b", ct);
                var first = {|LEAK2001:await a|};
                var second = await b;
                return first + second;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_LinkedSourceCancelledOnFailure() => Verify.VerifyAnalyzerAsync(Service + """
        class C
        {
            async Task M(Service s, CancellationToken ct)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var tasks = new[] { s.GetAsync("a", cts.Token), s.GetAsync("b", cts.Token) };
                try { await Task.WhenAll(tasks); }
                catch { cts.Cancel(); throw; }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_TaskScope() => Verify.VerifyAnalyzerAsync(Service + """
        class C
        {
            Task<string> M(Service s, CancellationToken ct) => TaskScope.RunAsync(async (scope, token) =>
            {
                Task<string> a = scope.Spawn(async t => await s.GetAsync("a", t));
                Task<string> b = scope.Spawn(async t => await s.GetAsync("b", t));
                return await a + await b;
            }, cancellationToken: ct);
        }
        """);

    [Fact]
    public Task NoDiagnostic_UncancellableWorkOrSingleTask() => Verify.VerifyAnalyzerAsync(Service + """
        class C
        {
            async Task M(Service s, CancellationToken ct)
            {
                await Task.WhenAll(s.PingAsync(), s.PingAsync());
                await Task.WhenAll(s.GetAsync("a", ct));
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_AwaitedOneAtATime() => Verify.VerifyAnalyzerAsync(Service + """
        class C
        {
            async Task<string> M(Service s, CancellationToken ct)
            {
                var a = s.GetAsync("a", ct);
                var first = await a;
                var b = s.GetAsync("b", ct);
                return first + await b;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_StartedTasksJoinedByWhenAllThenRead() => Verify.VerifyAnalyzerAsync(Service + """
        class C
        {
            async Task<string> M(Service s)
            {
                var a = s.PingAsync();
                var b = s.PingAsync();
                await Task.WhenAll(a, b);
                await a;
                await b;
                return "";
            }
        }
        """);

    [Fact]
    public Task CodeFix_WhenAllOfCalls_BecomesTaskScope_FixAll() => Verify.VerifyCodeFixAsync(
        Service + """
        class C
        {
            async Task M(Service s, CancellationToken ct)
            {
                await {|LEAK2001:Task.WhenAll(s.GetAsync("a", ct), s.GetAsync("b", ct))|};
            }

            async Task N(Service s, CancellationToken cancellationToken)
            {
                await {|LEAK2001:Task.WhenAll(s.GetAsync("x", cancellationToken), s.GetAsync("y", ct: cancellationToken), s.GetAsync("z", cancellationToken))|};
            }
        }
        """,
        Service + """
        class C
        {
            async Task M(Service s, CancellationToken ct)
            {
                await TaskScope.RunAsync(
                    (scope, _) =>
                    {
                        scope.Spawn(t => new ValueTask(s.GetAsync("a", t)));
                        scope.Spawn(t => new ValueTask(s.GetAsync("b", t)));
                        return ValueTask.CompletedTask;
                    },
                    cancellationToken: ct);
            }

            async Task N(Service s, CancellationToken cancellationToken)
            {
                await TaskScope.RunAsync(
                    (scope, _) =>
                    {
                        scope.Spawn(t => new ValueTask(s.GetAsync("x", t)));
                        scope.Spawn(t => new ValueTask(s.GetAsync("y", ct: t)));
                        scope.Spawn(t => new ValueTask(s.GetAsync("z", t)));
                        return ValueTask.CompletedTask;
                    },
                    cancellationToken: cancellationToken);
            }
        }
        """);

    [Fact]
    public Task CodeFix_NotOffered_WhenResultIsUsedOrTokensDiffer() => new Verify.Test
    {
        TestCode = Verifiers.TestReferences.Usings + Service + """
            class C
            {
                async Task<string[]> M(Service s, CancellationToken ct)
                {
                    return await {|LEAK2001:Task.WhenAll(s.GetAsync("a", ct), s.GetAsync("b", ct))|};
                }

                async Task N(Service s, CancellationToken ct, CancellationToken other)
                {
                    await {|LEAK2001:Task.WhenAll(s.GetAsync("a", ct), s.GetAsync("b", other))|};
                }
            }
            """,
        FixedCode = Verifiers.TestReferences.Usings + Service + """
            class C
            {
                async Task<string[]> M(Service s, CancellationToken ct)
                {
                    return await {|LEAK2001:Task.WhenAll(s.GetAsync("a", ct), s.GetAsync("b", ct))|};
                }

                async Task N(Service s, CancellationToken ct, CancellationToken other)
                {
                    await {|LEAK2001:Task.WhenAll(s.GetAsync("a", ct), s.GetAsync("b", other))|};
                }
            }
            """,
    }.RunAsync(TestContext.Current.CancellationToken);
}
