using System.Threading.Tasks;
using Verify = Leakproof.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<Leakproof.Analyzers.Rules.UndisposedTimerAnalyzer>;

namespace Leakproof.Analyzers.Tests.Rules;

public sealed class UndisposedTimerTests
{
    [Fact]
    public Task StaticField_NeverDisposed_Reports() => Verify.VerifyAnalyzerAsync("""
        static class Metrics
        {
            static readonly Timer {|LEAK1005:s_flush|} = new Timer(_ => { }, null, 1000, 1000);
        }
        """);

    [Fact]
    public Task InstanceField_AssignedInMethod_NeverDisposed_Reports() => Verify.VerifyAnalyzerAsync("""
        sealed class Poller
        {
            ITimer? {|LEAK1005:_timer|};
            public void Start(TimeProvider time) => _timer = time.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        }
        """);

    [Fact]
    public Task CreatedAndDropped_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            void M()
            {
                {|LEAK1005:new Timer(_ => { }, null, 0, 1000)|};
                _ = {|LEAK1005:new System.Timers.Timer(1000)|};
            }
        }
        """);

    [Fact]
    public Task Local_NeverDisposed_Reports() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            async Task M(CancellationToken ct)
            {
                var timer = {|LEAK1005:new PeriodicTimer(TimeSpan.FromSeconds(1))|};
                while (await timer.WaitForNextTickAsync(ct)) { }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_FieldDisposedByOwner() => Verify.VerifyAnalyzerAsync("""
        sealed class Poller : IAsyncDisposable
        {
            readonly Timer _timer = new Timer(_ => { }, null, 1000, 1000);
            ITimer? _other;
            public void Start(TimeProvider time) => _other = time.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
            public async ValueTask DisposeAsync()
            {
                await _timer.DisposeAsync();
                _other?.Dispose();
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_FieldHandedOn() => Verify.VerifyAnalyzerAsync("""
        sealed class Poller
        {
            Timer? _timer;
            public void Start() => _timer = new Timer(_ => { }, null, 1000, 1000);
            public Timer? Detach() => Interlocked.Exchange(ref _timer, null);
        }
        """);

    [Fact]
    public Task NoDiagnostic_LocalWithUsingOrStored() => Verify.VerifyAnalyzerAsync("""
        class C
        {
            readonly List<IDisposable> _owned = new();
            async Task M(CancellationToken ct)
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
                while (await timer.WaitForNextTickAsync(ct)) { }
                var kept = new Timer(_ => { }, null, 0, 1000);
                _owned.Add(kept);
            }
        }
        """);
}
