using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Leakproof.Analyzers.Rules.LoopIgnoresCancellationAnalyzer,
    Leakproof.Analyzers.Rules.LoopIgnoresCancellationCodeFix>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class LoopIgnoresCancellationTests
{
    [Fact]
    public Task TokenOnlyPassedToTaskRun_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task Start(CancellationToken ct) => Task.Run(async () =>
            {
                {|LEAK2004:while|} (true)
                {
                    await Task.Delay(1000);
                }
            }, ct);
        }
        """);

    [Fact]
    public Task BackgroundLoopWithoutTokenOrExit_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            void Start() => new Thread(() =>
            {
                {|LEAK2004:for|} (;;)
                {
                    Console.WriteLine("tick");
                }
            }).Start();
        }
        """);

    [Fact]
    public Task ExecuteAsyncIgnoringStoppingToken_Reports() => Verify.VerifyAnalyzerAsync("""
        sealed class Worker : Microsoft.Extensions.Hosting.BackgroundService
        {
            protected override async Task {|LEAK2004:ExecuteAsync|}(CancellationToken stoppingToken)
            {
                {|LEAK2004:while|} (true)
                {
                    await Task.Delay(1000);
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_LoopChecksToken() => Verify.VerifyAnalyzerAsync("""
        sealed class Worker : Microsoft.Extensions.Hosting.BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    await Task.Delay(1000, stoppingToken);
                }

                while (true)
                {
                    await Task.Delay(1000, stoppingToken);
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_SyncLoopOutsideBackgroundWork() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            int Parse(string text, CancellationToken ct)
            {
                int i = 0;
                while (true)
                {
                    if (i >= text.Length) { break; }
                    i++;
                }

                return i;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_BackgroundLoopWithExitAndNoToken() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            volatile bool _stopped;
            void Start() => Task.Run(() =>
            {
                while (true)
                {
                    if (_stopped) { return; }
                }
            });
        }
        """);

    [Fact]
    public Task NoDiagnostic_DefaultTokenDoesNotCount_ButRealOneDoes() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            Task Start(CancellationToken ct) => Task.Run(async () =>
            {
                while (true)
                {
                    await Task.Delay(1000, ct);
                }
            });
        }
        """);

    [Fact]
    public Task CodeFix_InsertsThrowIfCancellationRequested() => Verify.VerifyCodeFixAsync(
        """
        class C
        {
            async Task Loop(CancellationToken ct)
            {
                {|LEAK2004:while|} (true)
                {
                    await Task.Delay(1000, CancellationToken.None);
                }
            }

            async Task Other(CancellationToken token)
            {
                {|LEAK2004:for|} (;;)
                    await Task.Yield();
            }
        }
        """,
        """
        class C
        {
            async Task Loop(CancellationToken ct)
            {
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    await Task.Delay(1000, CancellationToken.None);
                }
            }

            async Task Other(CancellationToken token)
            {
                for (;;)
                {
                    token.ThrowIfCancellationRequested();
                    await Task.Yield();
                }
            }
        }
        """);
}
