using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Leakproof.OpenTelemetry.Tests.Metrics;
using Leakproof.Tests.TestSupport;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Leakproof.OpenTelemetry.Tests.Tracing;

// Activity sources are process-wide and tests run in parallel: each test names its work uniquely and looks only at
// spans with that name.
public sealed class TracerProviderInstrumentationTests
{
    [Fact]
    public void AddLeakproofInstrumentation_NullBuilder_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>("builder", () => LeakproofTracerProviderBuilderExtensions.AddLeakproofInstrumentation(null!));

    [Fact]
    public async Task AddLeakproofInstrumentation_Scope_ExportsScopeSpanAndChildSpansParentedToIt()
    {
        var spans = new List<Activity>();
        string name = MeterProviderInstrumentationTests.Unique("traced");
        using (TracerProvider provider = Sdk.CreateTracerProviderBuilder().AddLeakproofInstrumentation().AddInMemoryExporter(spans).Build()!)
        {
            await TaskScope.RunAsync(
                (scope, ct) =>
                {
                    scope.Spawn(_ => default, name: "first");
                    scope.Spawn(_ => default, name: "second");
                    return default;
                },
                new TaskScopeOptions { Name = name }).Guard();
            provider.ForceFlush();
        }

        Activity scopeSpan = Assert.Single(spans, s => s.DisplayName == "leakproof.scope " + name);
        Assert.Equal("Leakproof", scopeSpan.Source.Name);
        Assert.Equal(ActivityKind.Internal, scopeSpan.Kind);
        Assert.Equal(name, scopeSpan.GetTagItem("leakproof.scope.name"));
        List<Activity> children = [.. spans.Where(s => s.ParentSpanId == scopeSpan.SpanId)];
        Assert.Equal(["first", "second"], children.Select(c => (string)c.GetTagItem("leakproof.child.name")!).Order());
        Assert.All(children, c =>
        {
            Assert.Equal("success", c.GetTagItem("leakproof.outcome"));
            Assert.Equal(nameof(AddLeakproofInstrumentation_Scope_ExportsScopeSpanAndChildSpansParentedToIt), c.GetTagItem("code.function.name"));
            Assert.EndsWith("TracerProviderInstrumentationTests.cs", (string)c.GetTagItem("code.file.path")!, StringComparison.Ordinal);
            Assert.True(c.GetTagItem("code.line.number") is int line && line > 0);
        });
    }

    [Fact]
    public async Task AddLeakproofInstrumentation_BackgroundLoop_ExportsTickSpan()
    {
        var spans = new List<Activity>();
        string name = MeterProviderInstrumentationTests.Unique("loop");
        var ticked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (TracerProvider provider = Sdk.CreateTracerProviderBuilder().AddLeakproofInstrumentation().AddInMemoryExporter(spans).Build()!)
        {
            await using (var loop = new BackgroundLoop(
                _ =>
                {
                    ticked.TrySetResult();
                    return default;
                },
                new BackgroundLoopOptions { Name = name, RunImmediately = true, Period = TimeSpan.FromHours(1) }))
            {
                loop.EnsureStarted();
                await ticked.Task.Guard();
                await loop.StopAsync().Guard();
            }

            provider.ForceFlush();
        }

        Activity tick = Assert.Single(spans, s => s.DisplayName == "leakproof.loop.tick " + name);
        Assert.Equal(name, tick.GetTagItem("leakproof.loop.name"));
        Assert.Equal(1L, tick.GetTagItem("leakproof.loop.tick.number"));
        Assert.Equal("success", tick.GetTagItem("leakproof.outcome"));
    }

    [Fact]
    public async Task TracerProvider_WithoutInstrumentation_ExportsNoLeakproofSpan()
    {
        var spans = new List<Activity>();
        using (TracerProvider provider = Sdk.CreateTracerProviderBuilder().AddSource("Not.Leakproof").AddInMemoryExporter(spans).Build()!)
        {
            await TaskScope.RunAsync(
                (scope, ct) =>
                {
                    scope.Spawn(_ => default);
                    return default;
                },
                new TaskScopeOptions { Name = MeterProviderInstrumentationTests.Unique("untraced") }).Guard();
            provider.ForceFlush();
        }

        Assert.DoesNotContain(spans, s => s.Source.Name == "Leakproof");
    }
}
