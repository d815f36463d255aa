using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Leakproof.Analyzers.Rules.UnobservedTaskAnalyzer,
    Leakproof.Analyzers.Rules.UnobservedTaskCodeFix>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class UnobservedTaskTests
{
    [Fact]
    public Task Discard_OfAsyncCall_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task FooAsync() => Task.CompletedTask;
            void M() { _ = {|LEAK1001:FooAsync()|}; }
        }
        """);

    [Fact]
    public Task Discard_WithConfigureAwait_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task FooAsync() => Task.CompletedTask;
            void M() { _ = {|LEAK1001:FooAsync()|}.ConfigureAwait(false); }
        }
        """);

    [Fact]
    public Task Discard_OfValueTask_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            ValueTask FooAsync() => default;
            void M() { _ = {|LEAK1001:FooAsync()|}; }
        }
        """);

    [Fact]
    public Task TaskRunStatement_InSyncMethod_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            void M() { {|LEAK1001:Task.Run(() => Console.WriteLine())|}; }
        }
        """);

    [Fact]
    public Task ContinueWithForLogging_Dropped_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task FooAsync() => Task.CompletedTask;
            void M() { {|LEAK1001:FooAsync().ContinueWith(t => Console.WriteLine(t.Exception), TaskContinuationOptions.OnlyOnFaulted)|}; }
        }
        """);

    [Fact]
    public Task NoDiagnostic_Awaited() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task FooAsync() => Task.CompletedTask;
            async Task M() { await FooAsync(); }
        }
        """);

    [Fact]
    public Task NoDiagnostic_StoredAndReturned() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task _pending = Task.CompletedTask;
            Task FooAsync() => Task.CompletedTask;
            Task M() { _pending = FooAsync(); return FooAsync(); }
        }
        """);

    [Fact]
    public Task NoDiagnostic_CompletedTaskFactories() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            void M() { _ = Task.FromResult(1); _ = Task.FromException(new InvalidOperationException()); }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ScopeSpawnResultDropped() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task M() => TaskScope.RunAsync((scope, ct) =>
            {
                _ = scope.Spawn(t => new ValueTask<int>(1));
                return ValueTask.CompletedTask;
            });
        }
        """);

    [Fact]
    public Task NoDiagnostic_StatementInAsyncMethod_LeftToCS4014() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task FooAsync() => Task.CompletedTask;
            #pragma warning disable CS4014 // the compiler's own rule covers this shape
            async Task M() { FooAsync(); await Task.Yield(); }
            #pragma warning restore CS4014
        }
        """);

    [Fact]
    public Task NoDiagnostic_MethodHandlesItsOwnFailures() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            async Task ForwardAsync(Task work)
            {
                try { await work; }
                catch (Exception ex) { Console.WriteLine(ex); }
            }

            void M(Task work) { _ = ForwardAsync(work); }
        }
        """);

    [Fact]
    public Task MethodWithFilteredCatch_StillReports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            async Task ForwardAsync(Task work)
            {
                try { await work; }
                catch (Exception ex) when (ex is TimeoutException) { Console.WriteLine(ex); }
            }

            void M(Task work) { _ = {|LEAK1001:ForwardAsync(work)|}; }
        }
        """);

    [Fact]
    public Task NoDiagnostic_DiscardOfNonTask() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            int Compute() => 1;
            void M() { _ = Compute(); }
        }
        """);

    [Fact]
    public Task CodeFix_DiscardInAsyncMethod_Awaits() => Verify.VerifyCodeFixAsync(
        """
        class C
        {
            Task FooAsync() => Task.CompletedTask;
            async Task M()
            {
                _ = {|LEAK1001:FooAsync()|};
                _ = {|LEAK1001:FooAsync()|}.ConfigureAwait(false);
            }
        }
        """,
        """
        class C
        {
            Task FooAsync() => Task.CompletedTask;
            async Task M()
            {
                await FooAsync();
                await FooAsync().ConfigureAwait(false);
            }
        }
        """);

    [Fact]
    public Task CodeFix_DiscardInSyncMethod_OffersNoFix() => Verify.VerifyCodeFixAsync(
        """
        class C
        {
            Task FooAsync() => Task.CompletedTask;
            void M() { _ = {|LEAK1001:FooAsync()|}; }
        }
        """,
        """
        class C
        {
            Task FooAsync() => Task.CompletedTask;
            void M() { _ = {|LEAK1001:FooAsync()|}; }
        }
        """);
}
