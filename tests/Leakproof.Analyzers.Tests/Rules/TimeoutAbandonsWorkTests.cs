using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Leakproof.Analyzers.Rules.TimeoutAbandonsWorkAnalyzer>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class TimeoutAbandonsWorkTests
{
    private const string Work = """
        class Work
        {
            public Task<int> RunAsync(CancellationToken ct) => Task.FromResult(1);
        }
        """;

    [Fact]
    public Task WhenAnyWithDelay_NothingCancelled_Reports() => Verify.VerifyAnalyzerAsync(Work + """
        class C
        {
            async Task<bool> M(Work w, CancellationToken ct)
            {
                var work = w.RunAsync(ct);
                var done = await {|LEAK2003:Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(5)))|};
                return done == work;
            }
        }
        """);

    [Fact]
    public Task WhenAnyWithDelayLocal_WithoutToken_Reports() => Verify.VerifyAnalyzerAsync(Work + """
        class C
        {
            async Task M(Work w, CancellationToken ct)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var delay = Task.Delay(5000);
                await {|LEAK2003:Task.WhenAny(w.RunAsync(cts.Token), delay)|};
                cts.Cancel();
            }
        }
        """);

    [Fact]
    public Task WaitAsyncTimeout_NothingCancelled_Reports() => Verify.VerifyAnalyzerAsync(Work + """
        class C
        {
            Task<int> M(Work w, CancellationToken ct) => {|LEAK2003:w.RunAsync(ct).WaitAsync(TimeSpan.FromSeconds(5))|};
        }
        """);

    [Fact]
    public Task NoDiagnostic_TimeoutCancelsWork() => Verify.VerifyAnalyzerAsync(Work + """
        class C
        {
            async Task<int> M(Work w, CancellationToken ct)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                cts.CancelAfter(TimeSpan.FromSeconds(5));
                return await w.RunAsync(cts.Token);
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_WhenAnyDelayCancelledBothWays() => Verify.VerifyAnalyzerAsync(Work + """
        class C
        {
            async Task M(Work w, CancellationToken ct)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var work = w.RunAsync(cts.Token);
                await Task.WhenAny(work, Task.Delay(5000, cts.Token));
                cts.Cancel();
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_WaitAsyncWithLinkedCancel() => Verify.VerifyAnalyzerAsync(Work + """
        class C
        {
            async Task<int> M(Work w, CancellationToken ct)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var work = w.RunAsync(cts.Token);
                try { return await work.WaitAsync(TimeSpan.FromSeconds(5)); }
                catch (TimeoutException) { cts.Cancel(); throw; }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_WaitAsyncWithTokenOnly() => Verify.VerifyAnalyzerAsync(Work + """
        class C
        {
            Task<int> M(Work w, CancellationToken ct) => w.RunAsync(ct).WaitAsync(ct);
        }
        """);
}
