using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<
    Leakproof.Analyzers.Rules.ChannelConsumerExitsWithoutCompletingWriterAnalyzer>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class ChannelConsumerExitsWithoutCompletingWriterTests
{
    [Fact]
    public Task ThrowInsideReadAllAsyncLoop_Reports() => Verify.VerifyAnalyzerAsync("""
        sealed class Pipeline
        {
            readonly Channel<int> _items = Channel.CreateBounded<int>(8);
            public ValueTask AddAsync(int item, CancellationToken ct) => _items.Writer.WriteAsync(item, ct);
            public async Task ConsumeAsync(CancellationToken ct)
            {
                await foreach (int item in _items.Reader.ReadAllAsync(ct))
                {
                    if (item < 0) {|LEAK1007:throw new InvalidOperationException("negative");|}
                }
            }
        }
        """);

    [Fact]
    public Task ReturnInsideWaitToReadLoop_Reports() => Verify.VerifyAnalyzerAsync("""
        sealed class Pipeline
        {
            readonly Channel<string> _lines = Channel.CreateBounded<string>(8);
            public bool TryAdd(string line) => _lines.Writer.TryWrite(line);
            public async Task ConsumeAsync(CancellationToken ct)
            {
                while (await _lines.Reader.WaitToReadAsync(ct))
                {
                    while (_lines.Reader.TryRead(out string? line))
                    {
                        if (line.Length == 0) {|LEAK1007:return;|}
                    }
                }
            }
        }
        """);

    [Fact]
    public Task CatchThatReturns_Reports() => Verify.VerifyAnalyzerAsync("""
        sealed class Pipeline
        {
            public async Task RunAsync(CancellationToken ct)
            {
                var channel = Channel.CreateBounded<int>(1);
                Task producer = Task.Run(async () => { for (int i = 0; i < 10; i++) await channel.Writer.WriteAsync(i, ct); }, ct);
                try
                {
                    while (true)
                    {
                        int item = await channel.Reader.ReadAsync(ct);
                        Console.WriteLine(100 / item);
                    }
                }
                catch (DivideByZeroException)
                {
                    {|LEAK1007:return;|}
                }
                finally
                {
                    await producer;
                }
            }
        }
        """);

    [Fact]
    public Task CompletionOnlyInProducerLambda_Reports() => Verify.VerifyAnalyzerAsync("""
        sealed class Pipeline
        {
            public async Task<int> RunAsync(CancellationToken ct)
            {
                var channel = Channel.CreateBounded<int>(1);
                Task producer = Task.Run(async () =>
                {
                    for (int i = 0; i < 10; i++) await channel.Writer.WriteAsync(i, ct);
                    channel.Writer.TryComplete();
                }, ct);
                await foreach (int item in channel.Reader.ReadAllAsync(ct))
                {
                    if (item == 3) {|LEAK1007:return -1;|}
                }

                await producer;
                return 0;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_UsingReferencesChannel() => Verify.VerifyAnalyzerAsync("""
        sealed class WriterCompleter(ChannelWriter<int> writer) : IDisposable
        {
            public void Dispose() => writer.TryComplete();
        }

        sealed class Pipeline
        {
            readonly Channel<int> _items = Channel.CreateBounded<int>(8);
            public ValueTask AddAsync(int item, CancellationToken ct) => _items.Writer.WriteAsync(item, ct);
            public async Task ConsumeAsync(CancellationToken ct)
            {
                using var completer = new WriterCompleter(_items.Writer);
                await foreach (int item in _items.Reader.ReadAllAsync(ct))
                {
                    if (item < 0) throw new InvalidOperationException();
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_CompletesWriterBeforeThrow() => Verify.VerifyAnalyzerAsync("""
        sealed class Pipeline
        {
            readonly Channel<int> _items = Channel.CreateBounded<int>(8);
            public ValueTask AddAsync(int item, CancellationToken ct) => _items.Writer.WriteAsync(item, ct);
            public async Task ConsumeAsync(CancellationToken ct)
            {
                await foreach (int item in _items.Reader.ReadAllAsync(ct))
                {
                    if (item < 0)
                    {
                        var error = new InvalidOperationException("negative");
                        _items.Writer.TryComplete(error);
                        throw error;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_CompletesWriterInFinally() => Verify.VerifyAnalyzerAsync("""
        sealed class Pipeline
        {
            readonly Channel<int> _items = Channel.CreateBounded<int>(8);
            public ValueTask AddAsync(int item, CancellationToken ct) => _items.Writer.WriteAsync(item, ct);
            public async Task ConsumeAsync(CancellationToken ct)
            {
                try
                {
                    await foreach (int item in _items.Reader.ReadAllAsync(ct))
                    {
                        if (item < 0) throw new InvalidOperationException();
                        if (item == 0) return;
                    }
                }
                finally
                {
                    _items.Writer.TryComplete();
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_CatchCompletesWriterAndRethrows() => Verify.VerifyAnalyzerAsync("""
        sealed class Pipeline
        {
            readonly Channel<int> _items = Channel.CreateBounded<int>(8);
            public ValueTask AddAsync(int item, CancellationToken ct) => _items.Writer.WriteAsync(item, ct);
            public async Task ConsumeAsync(CancellationToken ct)
            {
                try
                {
                    await foreach (int item in _items.Reader.ReadAllAsync(ct))
                    {
                        if (item < 0) throw new InvalidOperationException();
                    }
                }
                catch (Exception ex)
                {
                    _items.Writer.TryComplete(ex);
                    throw;
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_NoProducerInType() => Verify.VerifyAnalyzerAsync("""
        sealed class Consumer
        {
            readonly Channel<int> _items;
            public Consumer(Channel<int> items) => _items = items;
            public async Task ConsumeAsync(CancellationToken ct)
            {
                await foreach (int item in _items.Reader.ReadAllAsync(ct))
                {
                    if (item < 0) throw new InvalidOperationException();
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ThrowCaughtInsideLoop() => Verify.VerifyAnalyzerAsync("""
        sealed class Pipeline
        {
            readonly Channel<int> _items = Channel.CreateUnbounded<int>();
            public bool Add(int item) => _items.Writer.TryWrite(item);
            public async Task ConsumeAsync(CancellationToken ct)
            {
                await foreach (int item in _items.Reader.ReadAllAsync(ct))
                {
                    try
                    {
                        if (item < 0) throw new ArgumentOutOfRangeException(nameof(item));
                    }
                    catch (ArgumentOutOfRangeException ex)
                    {
                        Console.WriteLine(ex.Message);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_CancellationAndClosedCatchesReturn() => Verify.VerifyAnalyzerAsync("""
        sealed class Pipeline
        {
            readonly Channel<int> _items = Channel.CreateBounded<int>(8);
            public ValueTask AddAsync(int item, CancellationToken ct) => _items.Writer.WriteAsync(item, ct);
            public async Task ConsumeAsync(CancellationToken ct)
            {
                while (true)
                {
                    int item;
                    try
                    {
                        item = await _items.Reader.ReadAsync(ct);
                    }
                    catch (ChannelClosedException)
                    {
                        return;
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    Console.WriteLine(item);
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ReturnInsideLambdaInLoop() => Verify.VerifyAnalyzerAsync("""
        sealed class Pipeline
        {
            readonly Channel<int> _items = Channel.CreateBounded<int>(8);
            public ValueTask AddAsync(int item, CancellationToken ct) => _items.Writer.WriteAsync(item, ct);
            public async Task ConsumeAsync(CancellationToken ct)
            {
                await foreach (int item in _items.Reader.ReadAllAsync(ct))
                {
                    Func<int, int> check = x => { if (x < 0) throw new InvalidOperationException(); return x; };
                    Console.WriteLine(check(item));
                }
            }
        }
        """);
}
