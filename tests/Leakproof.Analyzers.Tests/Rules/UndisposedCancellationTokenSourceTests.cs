using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Leakproof.Analyzers.Rules.UndisposedCancellationTokenSourceAnalyzer,
    Leakproof.Analyzers.Rules.UndisposedCancellationTokenSourceCodeFix>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class UndisposedCancellationTokenSourceTests
{
    [Fact]
    public Task LinkedLocal_NeverDisposed_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task WorkAsync(CancellationToken ct) => Task.CompletedTask;
            async Task M(CancellationToken ct)
            {
                var cts = {|LEAK1003:CancellationTokenSource.CreateLinkedTokenSource(ct)|};
                await WorkAsync(cts.Token);
            }
        }
        """);

    [Fact]
    public Task TimedSource_UsedOnlyForToken_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task WorkAsync(CancellationToken ct) => Task.CompletedTask;
            Task M() => WorkAsync({|LEAK1003:new CancellationTokenSource(TimeSpan.FromSeconds(5))|}.Token);
        }
        """);

    [Fact]
    public Task PlainSourceWithCancelAfter_NeverDisposed_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task WorkAsync(CancellationToken ct) => Task.CompletedTask;
            async Task M()
            {
                var cts = {|LEAK1003:new CancellationTokenSource()|};
                cts.CancelAfter(1000);
                await WorkAsync(cts.Token);
            }
        }
        """);

    [Fact]
    public Task LinkedLocal_EarlyReturnSkipsDispose_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            bool Ready() => true;
            void M(CancellationToken ct)
            {
                var cts = {|LEAK1003:CancellationTokenSource.CreateLinkedTokenSource(ct)|};
                if (Ready())
                {
                    return;
                }

                cts.Dispose();
            }
        }
        """);

    [Fact]
    public Task Field_ReplacedWithoutDisposingOld_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            CancellationTokenSource? _cts;
            void Restart(CancellationToken ct)
            {
                _cts = {|LEAK1003:CancellationTokenSource.CreateLinkedTokenSource(ct)|};
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_UsingAndFinally() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task WorkAsync(CancellationToken ct) => Task.CompletedTask;
            async Task M(CancellationToken ct)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
                using (var timed = new CancellationTokenSource(1000))
                {
                    await WorkAsync(timed.Token);
                }

                var other = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                try { await WorkAsync(other.Token); }
                finally { other.Dispose(); }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_PlainSourceWithoutTimer() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task WorkAsync(CancellationToken ct) => Task.CompletedTask;
            async Task M()
            {
                var cts = new CancellationTokenSource();
                await WorkAsync(cts.Token);
                cts.Cancel();
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ReturnedOrStored() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            readonly CancellationTokenSource _owned;
            readonly List<CancellationTokenSource> _all = new();
            C(CancellationToken ct) { _owned = CancellationTokenSource.CreateLinkedTokenSource(ct); }
            CancellationTokenSource Create(CancellationToken ct) => CancellationTokenSource.CreateLinkedTokenSource(ct);
            void Track(CancellationToken ct)
            {
                var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                _all.Add(cts);
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_FieldDisposedBeforeReplacement() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            CancellationTokenSource? _cts;
            void Restart(CancellationToken ct)
            {
                _cts?.Cancel();
                _cts?.Dispose();
                _cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            }

            void Swap(CancellationToken ct)
            {
                var old = Interlocked.Exchange(ref _cts, CancellationTokenSource.CreateLinkedTokenSource(ct));
                old?.Dispose();
            }
        }
        """);

    [Fact]
    public Task CodeFix_Locals_AddUsing() => Verify.VerifyCodeFixAsync(
        """
        class C
        {
            Task WorkAsync(CancellationToken ct) => Task.CompletedTask;
            async Task M(CancellationToken ct)
            {
                var linked = {|LEAK1003:CancellationTokenSource.CreateLinkedTokenSource(ct)|};
                var timed = {|LEAK1003:new CancellationTokenSource(TimeSpan.FromSeconds(1))|};
                await WorkAsync(linked.Token);
                await WorkAsync(timed.Token);
            }
        }
        """,
        """
        class C
        {
            Task WorkAsync(CancellationToken ct) => Task.CompletedTask;
            async Task M(CancellationToken ct)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
                using var timed = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await WorkAsync(linked.Token);
                await WorkAsync(timed.Token);
            }
        }
        """);
}
