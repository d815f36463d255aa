using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Leakproof.Analyzers.Rules.WaitWithoutCancellationAnalyzer,
    Leakproof.Analyzers.Rules.WaitWithoutCancellationCodeFix>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class WaitWithoutCancellationTests
{
    [Fact]
    public Task InfiniteDelay_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task M() => {|LEAK2005:Task.Delay(Timeout.Infinite)|};
            Task N() => {|LEAK2005:Task.Delay(Timeout.InfiniteTimeSpan)|};
        }
        """);

    [Fact]
    public Task WaitsInLoop_Report() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            readonly SemaphoreSlim _gate = new(1);
            readonly Channel<int> _channel = Channel.CreateBounded<int>(10);
            async Task M()
            {
                while (true)
                {
                    await {|LEAK2005:_gate.WaitAsync()|};
                    var item = await {|LEAK2005:_channel.Reader.ReadAsync()|};
                    await {|LEAK2005:_channel.Writer.WriteAsync(item)|};
                    _gate.Release();
                }
            }
        }
        """);

    [Fact]
    public Task BlockingWaitsInBackgroundWork_Report() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            readonly System.Collections.Concurrent.BlockingCollection<int> _queue = new();
            readonly ManualResetEventSlim _signal = new();
            void Start() => Task.Run(() =>
            {
                {|LEAK2005:_signal.Wait()|};
                var item = {|LEAK2005:_queue.Take()|};
            });
        }
        """);

    [Fact]
    public Task NoDiagnostic_TokenOrTimeoutGiven() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            readonly SemaphoreSlim _gate = new(1);
            readonly Channel<int> _channel = Channel.CreateBounded<int>(10);
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    await _gate.WaitAsync(ct);
                    await _gate.WaitAsync(TimeSpan.FromSeconds(1));
                    var item = await _channel.Reader.ReadAsync(ct);
                    await _channel.Writer.WriteAsync(item, ct);
                    await Task.Delay(Timeout.Infinite, ct);
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_SingleWaitOutsideLoopAndBackground() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            readonly SemaphoreSlim _gate = new(1);
            async Task M()
            {
                await _gate.WaitAsync();
                _gate.Release();
            }
        }
        """);

    [Fact]
    public Task CodeFix_PassesTokenInScope() => Verify.VerifyCodeFixAsync(
        """
        class C
        {
            readonly SemaphoreSlim _gate = new(1);
            readonly Channel<int> _channel = Channel.CreateBounded<int>(10);
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    await {|LEAK2005:_gate.WaitAsync()|};
                    var item = await {|LEAK2005:_channel.Reader.ReadAsync()|};
                    await {|LEAK2005:_channel.Writer.WriteAsync(item)|};
                    await {|LEAK2005:Task.Delay(Timeout.Infinite)|};
                }
            }
        }
        """,
        """
        class C
        {
            readonly SemaphoreSlim _gate = new(1);
            readonly Channel<int> _channel = Channel.CreateBounded<int>(10);
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    await _gate.WaitAsync(ct);
                    var item = await _channel.Reader.ReadAsync(ct);
                    await _channel.Writer.WriteAsync(item, ct);
                    await Task.Delay(Timeout.Infinite, ct);
                }
            }
        }
        """);
}
