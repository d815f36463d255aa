using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Leakproof.Analyzers.Rules.BackgroundWorkInTypeInitializerAnalyzer>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class BackgroundWorkInTypeInitializerTests
{
    [Fact]
    public Task StaticFieldInitializer_Timer_Reports() => Verify.VerifyAnalyzerAsync("""
        static class Metrics
        {
            static readonly Timer s_flush = {|LEAK1004:new Timer(_ => Flush(), null, 1000, 1000)|};
            static void Flush() { }
        }
        """);

    [Fact]
    public Task StaticConstructor_TaskRunAndThread_Report() => Verify.VerifyAnalyzerAsync("""
        class Cache
        {
            static Cache()
            {
                _ = {|LEAK1004:Task.Run(() => { })|};
                var thread = new Thread(() => { });
                {|LEAK1004:thread.Start()|};
                {|LEAK1004:ThreadPool.QueueUserWorkItem(_ => { })|};
            }
        }
        """);

    [Fact]
    public Task ModuleInitializer_StartNewAndTimerEnabled_Report() => Verify.VerifyAnalyzerAsync("""
        static class Boot
        {
            static readonly System.Timers.Timer s_timer = new System.Timers.Timer(1000);

            [System.Runtime.CompilerServices.ModuleInitializer]
            internal static void Init()
            {
                {|LEAK1004:Task.Factory.StartNew(() => { })|};
                {|LEAK1004:s_timer.Enabled = true|};
                {|LEAK1004:TimeProvider.System.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromSeconds(1))|};
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_LazyStartInLambda() => Verify.VerifyAnalyzerAsync("""
        static class Metrics
        {
            static readonly Lazy<Timer> s_flush = new(() => new Timer(_ => { }, null, 1000, 1000));
            static readonly Func<Task> s_start = () => Task.Run(() => { });
        }
        """);

    [Fact]
    public Task NoDiagnostic_InstanceConstructorAndMethods() => Verify.VerifyAnalyzerAsync("""
        sealed class Poller : IDisposable
        {
            readonly Timer _timer;
            static readonly object s_gate = new();
            Poller() { _timer = new Timer(_ => { }, null, 1000, 1000); }
            public void Start() => Task.Run(() => { });
            public void Dispose() => _timer.Dispose();
        }
        """);
}
