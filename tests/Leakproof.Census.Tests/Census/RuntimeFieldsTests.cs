using System.Collections.Generic;
using System.Linq;
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
    public async Task GetWaiters_TaskEventsEnabled_FollowsContinuationWrapperToTheBox()
    {
        // With TplEventSource's causality keyword on, the runtime wraps continuations (AsyncMethodBuilderCore.ContinuationWrapper).
        using var engine = new Leakproof.Census.Sources.CensusEngine(RuntimeFields.Detect(typeof(object)), new CensusOptions());
        var never = new TaskCompletionSource();
        Task outer = Support.Shapes.WaitAsync(never.Task);
        var waiters = new List<object>();

        new TaskInspector(RuntimeFields.Current).GetWaiters(never.Task, waiters);

        Assert.Contains(outer, waiters);
        never.SetResult();
        await outer;
    }

    [Fact]
    public async Task TimerScanner_ThisRuntime_FindsATimerWithItsContext()
    {
        Assert.NotNull(TimerScanner.Current);
        var local = new AsyncLocal<string> { Value = "timer-owner" };
        await using var timer = new Timer(static _ => { }, null, System.TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);

        var found = TimerScanner.Current!.Scan().Where(t => t.Callback?.Method.DeclaringType == typeof(RuntimeFieldsTests) || t.Callback?.Method.DeclaringType?.DeclaringType == typeof(RuntimeFieldsTests)).ToList();

        var entry = Assert.Single(found, t => OwnerReader.Read(t.Context, () => local.Value) == "timer-owner");
        Assert.Null(entry.Period);
    }

    [Fact]
    public async Task CompileObject_TaskField_ReadsWhatReflectionReads()
    {
        var never = new TaskCompletionSource();
        Task outer = Support.Shapes.WaitAsync(never.Task);
        var field = typeof(Task).GetField("m_continuationObject", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;

        System.Func<object, object?> read = FieldPaths.CompileObject(typeof(Task), [field])!;

        Assert.Same(field.GetValue(never.Task), read(never.Task));
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
