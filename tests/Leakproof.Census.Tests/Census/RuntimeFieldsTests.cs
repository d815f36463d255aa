using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census.Analysis;

namespace Leakproof.Census.Tests.Census;

/// <summary>Checks every private runtime fact the census relies on (INTERNALS.md), so a runtime update that breaks one fails here first.</summary>
public sealed class RuntimeFieldsTests
{
    [Fact]
    public void Current_ThisRuntime_HasEveryField()
    {
        RuntimeFields fields = RuntimeFields.Current;

        Assert.Empty(fields.Missing);
        Assert.True(fields.HasRegistry);
        Assert.Equal(typeof(Dictionary<int, Task>), fields.CurrentActiveTasks!.FieldType);
    }

    [Fact]
    public void Detect_TypeWithoutFields_ListsThemWithoutThrowing()
    {
        RuntimeFields fields = RuntimeFields.Detect(typeof(string));

        Assert.False(fields.HasRegistry);
        Assert.Contains("String.s_asyncDebuggingEnabled", fields.Missing);
        Assert.Contains("String.m_continuationObject", fields.Missing);
        Assert.Null(fields.ReadActiveTasks());
    }

    [Fact]
    public async Task ReadContext_SuspendedAsyncMethod_IsTheContextItCaptured()
    {
        var local = new AsyncLocal<string> { Value = "mine" };
        var never = new TaskCompletionSource();
        Task pending = Support.Shapes.WaitAsync(never.Task);

        ExecutionContext? context = RuntimeFields.Current.ReadContext(pending);

        Assert.NotNull(context);
        string? seen = null;
        ExecutionContext.Run(context!.CreateCopy(), _ => seen = local.Value, null);
        Assert.Equal("mine", seen);
        never.SetResult();
        await pending;
    }

    [Fact]
    public async Task ReadContinuation_AwaitedTask_LeadsToTheAwaitingBox()
    {
        var never = new TaskCompletionSource();
        Task outer = Support.Shapes.WaitAsync(never.Task);
        var inspector = new TaskInspector(RuntimeFields.Current);
        var waiters = new List<object>();

        inspector.GetWaiters(never.Task, waiters);

        Assert.Contains(outer, waiters);
        never.SetResult();
        await outer;
    }

    [Fact]
    public async Task Inspect_SuspendedBox_ReadsStateAndAwaiterTarget()
    {
        var never = new TaskCompletionSource();
        Task pending = Support.Shapes.WaitAsync(never.Task);

        TaskFacts facts = new TaskInspector(RuntimeFields.Current).Inspect(pending);

        Assert.Equal(PendingOperationKind.AsyncMethod, facts.Kind);
        Assert.Equal(0, facts.State);
        Assert.Same(never.Task, facts.Awaited);
        never.SetResult();
        await pending;
    }
}
