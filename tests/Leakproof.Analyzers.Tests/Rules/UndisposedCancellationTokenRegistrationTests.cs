using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Leakproof.Analyzers.Rules.UndisposedCancellationTokenRegistrationAnalyzer,
    Leakproof.Analyzers.Rules.UndisposedCancellationTokenRegistrationCodeFix>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class UndisposedCancellationTokenRegistrationTests
{
    [Fact]
    public Task Discarded_Statement_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            async Task M(CancellationToken ct, TaskCompletionSource tcs)
            {
                {|LEAK1002:ct.Register(() => tcs.TrySetCanceled())|};
                await tcs.Task;
            }
        }
        """);

    [Fact]
    public Task Local_NeverDisposed_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            async Task M(CancellationToken ct, TaskCompletionSource tcs)
            {
                var registration = {|LEAK1002:ct.Register(() => tcs.TrySetCanceled())|};
                await tcs.Task;
            }
        }
        """);

    [Fact]
    public Task Local_EarlyReturnSkipsDispose_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            int M(CancellationToken ct, bool fast)
            {
                var registration = {|LEAK1002:ct.Register(() => { })|};
                if (fast)
                {
                    return 1;
                }

                registration.Dispose();
                return 2;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_UsingDeclaration() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            async Task M(CancellationToken ct, TaskCompletionSource tcs)
            {
                using var registration = ct.Register(() => tcs.TrySetCanceled());
                await tcs.Task;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_DisposedInFinally() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            int M(CancellationToken ct, bool fast)
            {
                var registration = ct.Register(() => { });
                try
                {
                    if (fast) { return 1; }
                    return 2;
                }
                finally
                {
                    registration.Dispose();
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_DisposedBeforeEveryReturn() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            int M(CancellationToken ct, bool fast)
            {
                var registration = ct.Register(() => { });
                if (fast)
                {
                    registration.Dispose();
                    return 1;
                }

                registration.Unregister();
                return 2;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_StoredInFieldOrReturned() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            CancellationTokenRegistration _registration;
            CancellationTokenRegistration M(CancellationToken ct)
            {
                _registration = ct.Register(() => { });
                return ct.Register(() => { });
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_TokenOfLocalSourceDisposedByUsing() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            void M()
            {
                using var cts = new CancellationTokenSource();
                cts.Token.Register(() => { });
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_DisposedByCleanupLambda() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task M(CancellationToken ct, Task work)
            {
                var registration = ct.Register(() => { });
                return work.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
            }
        }
        """);

    [Fact]
    public Task CodeFix_LocalAndDiscarded_AddUsing() => Verify.VerifyCodeFixAsync(
        """
        class C
        {
            async Task M(CancellationToken ct, TaskCompletionSource tcs)
            {
                var first = {|LEAK1002:ct.Register(() => tcs.TrySetCanceled())|};
                {|LEAK1002:ct.Register(() => tcs.TrySetCanceled())|};
                _ = {|LEAK1002:ct.Register(() => tcs.TrySetCanceled())|};
                await tcs.Task;
            }
        }
        """,
        """
        class C
        {
            async Task M(CancellationToken ct, TaskCompletionSource tcs)
            {
                using var first = ct.Register(() => tcs.TrySetCanceled());
                using var registration = ct.Register(() => tcs.TrySetCanceled());
                using var registration1 = ct.Register(() => tcs.TrySetCanceled());
                await tcs.Task;
            }
        }
        """);
}
