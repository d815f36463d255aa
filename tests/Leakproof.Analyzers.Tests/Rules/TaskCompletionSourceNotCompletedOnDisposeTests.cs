using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Leakproof.Analyzers.Rules.TaskCompletionSourceNotCompletedOnDisposeAnalyzer,
    Leakproof.Analyzers.Rules.TaskCompletionSourceNotCompletedOnDisposeCodeFix>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class TaskCompletionSourceNotCompletedOnDisposeTests
{
    [Fact]
    public Task DisposeIgnoresSource_Reports() => Verify.VerifyAnalyzerAsync("""
        sealed class Connection : IDisposable
        {
            readonly TaskCompletionSource<int> {|LEAK1008:_ready|} = new(TaskCreationOptions.RunContinuationsAsynchronously);
            readonly CancellationTokenSource _cts = new();
            public Task<int> WaitReadyAsync() => _ready.Task;
            public void OnReady(int value) => _ready.TrySetResult(value);
            public void Dispose() => _cts.Dispose();
        }
        """);

    [Fact]
    public Task DisposeAsyncIgnoresSource_Reports() => Verify.VerifyAnalyzerAsync("""
        sealed class Session : IAsyncDisposable
        {
            TaskCompletionSource {|LEAK1008:_closed|} = new();
            public Task Closed => _closed.Task;
            public ValueTask DisposeAsync()
            {
                _closed = new TaskCompletionSource();
                return ValueTask.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task SourceCompletedOnlyOutsideDispose_Reports() => Verify.VerifyAnalyzerAsync("""
        class Worker : IDisposable
        {
            private readonly TaskCompletionSource {|LEAK1008:_done|} = new();
            public Task Completion => _done.Task;
            public void Finish() => _done.TrySetResult();
            public void Dispose() { Dispose(true); GC.SuppressFinalize(this); }
            protected virtual void Dispose(bool disposing) { }
        }
        """);

    [Fact]
    public Task NoDiagnostic_DisposeCancelsSource() => Verify.VerifyAnalyzerAsync("""
        sealed class Connection : IDisposable
        {
            readonly TaskCompletionSource<int> _ready = new();
            public Task<int> WaitReadyAsync() => _ready.Task;
            public void Dispose() => _ready.TrySetCanceled();
        }
        """);

    [Fact]
    public Task NoDiagnostic_DisposeCallsHelperThatCompletes() => Verify.VerifyAnalyzerAsync("""
        class Connection : IAsyncDisposable, IDisposable
        {
            private TaskCompletionSource? _ready = new();
            public Task? Ready => _ready?.Task;
            public void Dispose() { Dispose(true); GC.SuppressFinalize(this); }
            public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
            protected virtual void Dispose(bool disposing) { if (disposing) { FailPending(new ObjectDisposedException(nameof(Connection))); } }
            private void FailPending(Exception error) => _ready?.TrySetException(error);
        }
        """);

    [Fact]
    public Task NoDiagnostic_DisposeHandsSourceOn() => Verify.VerifyAnalyzerAsync("""
        sealed class Connection : IDisposable
        {
            TaskCompletionSource? _ready = new();
            public Task? Ready => _ready?.Task;
            public void Dispose() => Interlocked.Exchange(ref _ready, null)?.TrySetCanceled();
        }
        """);

    [Fact]
    public Task NoDiagnostic_NotDisposable() => Verify.VerifyAnalyzerAsync("""
        sealed class Gate
        {
            readonly TaskCompletionSource _opened = new();
            public Task Opened => _opened.Task;
            public void Open() => _opened.TrySetResult();
        }
        """);

    [Fact]
    public Task NoDiagnostic_StaticSourceAndLocals() => Verify.VerifyAnalyzerAsync("""
        sealed class Registry : IDisposable
        {
            static readonly TaskCompletionSource s_started = new();
            public Task Started => s_started.Task;
            public async Task RunAsync()
            {
                var tcs = new TaskCompletionSource();
                tcs.SetResult();
                await tcs.Task;
            }
            public void Dispose() { }
        }
        """);

    [Fact]
    public Task CodeFix_AddsTrySetCanceledToDispose() => Verify.VerifyCodeFixAsync(
        """
        sealed class Connection : IDisposable
        {
            readonly TaskCompletionSource<int> {|LEAK1008:_ready|} = new();
            readonly CancellationTokenSource _cts = new();
            public Task<int> Ready => _ready.Task;
            public void Dispose()
            {
                _cts.Dispose();
            }
        }
        """,
        """
        sealed class Connection : IDisposable
        {
            readonly TaskCompletionSource<int> _ready = new();
            readonly CancellationTokenSource _cts = new();
            public Task<int> Ready => _ready.Task;
            public void Dispose()
            {
                _cts.Dispose();
                _ready.TrySetCanceled();
            }
        }
        """);

    [Fact]
    public Task CodeFix_ExpressionBodiedDisposeAsync_FixAll() => Verify.VerifyCodeFixAsync(
        """
        sealed class Session : IAsyncDisposable
        {
            TaskCompletionSource? {|LEAK1008:_opened|} = new();
            readonly TaskCompletionSource<string> {|LEAK1008:_closed|} = new();
            readonly CancellationTokenSource _cts = new();
            public Task? Opened => _opened?.Task;
            public Task<string> Closed => _closed.Task;
            public ValueTask DisposeAsync() => new(_cts.CancelAsync());
        }
        """,
        """
        sealed class Session : IAsyncDisposable
        {
            TaskCompletionSource? _opened = new();
            readonly TaskCompletionSource<string> _closed = new();
            readonly CancellationTokenSource _cts = new();
            public Task? Opened => _opened?.Task;
            public Task<string> Closed => _closed.Task;
            public ValueTask DisposeAsync()
            {
                _opened?.TrySetCanceled();
                _closed.TrySetCanceled();
                return new(_cts.CancelAsync());
            }
        }
        """);
}
