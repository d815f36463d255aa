using System;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Leakproof.Tests.Scopes;

public sealed class TaskScopeChildInfoTests
{
    [Fact]
    public async Task GetActiveChildren_RecordsNameCreationSiteStartAndAge()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var gate = new Gate();
        var scope = TaskScope.Create(new TaskScopeOptions { Name = "reports", TimeProvider = clock });
        scope.Spawn(async _ => await gate.Task, name: "export"); int spawnLine = CurrentLine() - 0;
        clock.Advance(TimeSpan.FromSeconds(30));

        TaskScopeChildInfo child = Assert.Single(scope.GetActiveChildren());

        Assert.Equal("export", child.Name);
        Assert.Same(scope, child.Scope);
        Assert.Equal(nameof(GetActiveChildren_RecordsNameCreationSiteStartAndAge), child.CallerMemberName);
        Assert.EndsWith("TaskScopeChildInfoTests.cs", child.CallerFilePath, StringComparison.Ordinal);
        Assert.Equal(spawnLine, child.CallerLineNumber);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero), child.StartTime);
        Assert.Equal(TimeSpan.FromSeconds(30), child.Age);
        Assert.NotNull(child.Task);
        Assert.Contains("export at", child.ToString(), StringComparison.Ordinal);
        gate.Open();
        await scope.WaitAsync();
        Assert.Empty(scope.GetActiveChildren());
    }

    [Fact]
    public async Task Parent_ScopeCreatedInsideRunAsyncBody_IsTheOuterScope()
    {
        TaskScope? outer = null;
        TaskScope? innerParent = null;

        await TaskScope.RunAsync(async (scope, ct) =>
        {
            outer = scope;
            await using var inner = TaskScope.Create(cancellationToken: ct);
            innerParent = inner.Parent;
        });

        Assert.NotNull(outer);
        Assert.Same(outer, innerParent);
        Assert.Null(TaskScope.Create().Parent);
    }

    [Fact]
    public void Properties_ReflectOptions()
    {
        var clock = new FakeTimeProvider();
        var scope = TaskScope.Create(new TaskScopeOptions { Name = "n", MaxConcurrency = 3, FailureMode = TaskScopeFailureMode.Supervise, TimeProvider = clock });

        Assert.Equal("n", scope.Name);
        Assert.Equal(3, scope.MaxConcurrency);
        Assert.Equal(TaskScopeFailureMode.Supervise, scope.FailureMode);
        Assert.Same(clock, scope.TimeProvider);
        Assert.Equal(clock.GetUtcNow(), scope.StartTime);
        Assert.Equal("unnamed", TaskScope.Create().Name);
    }

    [Fact]
    public async Task DebuggerAttributes_ReferToRealMembersAndShowChildren()
    {
        var gate = new Gate();
        var scope = TaskScope.Create(new TaskScopeOptions { Name = "dbg" });
        scope.Spawn(async _ => await gate.Task, name: "c1");

        var display = typeof(TaskScope).GetCustomAttribute<DebuggerDisplayAttribute>()!;
        string member = display.Value.Trim('{', '}').Split(',')[0];
        object? text = typeof(TaskScope).GetProperty(member, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!.GetValue(scope);
        Assert.Equal("TaskScope \"dbg\": 1 running, 0 queued, active", text);

        var proxyAttribute = typeof(TaskScope).GetCustomAttribute<DebuggerTypeProxyAttribute>()!;
        Type proxyType = typeof(TaskScope).Assembly.GetType(proxyAttribute.ProxyTypeName.Split(',')[0])!;
        object proxy = Activator.CreateInstance(proxyType, scope)!;
        var children = (System.Collections.Generic.IReadOnlyList<TaskScopeChildInfo>)proxyType.GetProperty("Children")!.GetValue(proxy)!;
        Assert.Equal("c1", children.Single().Name);

        gate.Open();
        await scope.WaitAsync();
        Assert.Equal("TaskScope \"dbg\": 0 running, 0 queued, finished", typeof(TaskScope).GetProperty(member, BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(scope));
    }

    private static int CurrentLine([System.Runtime.CompilerServices.CallerLineNumber] int line = 0) => line;
}
