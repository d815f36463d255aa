using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Leakproof.Analyzers.Rules.TaskCompletionSourceCompletedUnderLockAnalyzer,
    Leakproof.Analyzers.Rules.TaskCompletionSourceCompletedUnderLockCodeFix>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class TaskCompletionSourceCompletedUnderLockTests
{
    [Fact]
    public Task FieldCompletedUnderLock_Reports() => Verify.VerifyAnalyzerAsync("""
        sealed class Gate
        {
            readonly object _lock = new();
            TaskCompletionSource<int> _ready = {|LEAK1006:new TaskCompletionSource<int>()|};
            public void Open(int value) { lock (_lock) { _ready.TrySetResult(value); } }
        }
        """);

    [Fact]
    public Task LocalCompletedUnderLock_Reports() => Verify.VerifyAnalyzerAsync("""
        sealed class Gate
        {
            readonly object _lock = new();
            public Task Run()
            {
                var tcs = {|LEAK1006:new TaskCompletionSource(TaskCreationOptions.None)|};
                lock (_lock) { tcs.SetResult(); }
                return tcs.Task;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_RunContinuationsAsynchronously() => Verify.VerifyAnalyzerAsync("""
        sealed class Gate
        {
            readonly object _lock = new();
            readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
            public void Open() { lock (_lock) { _ready.TrySetResult(); } }
        }
        """);

    [Fact]
    public Task NoDiagnostic_CompletedOutsideLock() => Verify.VerifyAnalyzerAsync("""
        sealed class Gate
        {
            readonly object _lock = new();
            readonly TaskCompletionSource _ready = new();
            bool _open;
            public void Open()
            {
                lock (_lock) { _open = true; }
                _ready.TrySetResult();
            }
        }
        """);

    [Fact]
    public Task CodeFix_AddsOption() => Verify.VerifyCodeFixAsync(
        """
        sealed class Gate
        {
            readonly object _lock = new();
            TaskCompletionSource<int> _first = {|LEAK1006:new TaskCompletionSource<int>()|};
            TaskCompletionSource _second = {|LEAK1006:new(TaskCreationOptions.DenyChildAttach)|};
            public void Open()
            {
                lock (_lock)
                {
                    _first.TrySetResult(1);
                    _second.TrySetResult();
                }
            }
        }
        """,
        """
        sealed class Gate
        {
            readonly object _lock = new();
            TaskCompletionSource<int> _first = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            TaskCompletionSource _second = new(TaskCreationOptions.DenyChildAttach | TaskCreationOptions.RunContinuationsAsynchronously);
            public void Open()
            {
                lock (_lock)
                {
                    _first.TrySetResult(1);
                    _second.TrySetResult();
                }
            }
        }
        """);
}
