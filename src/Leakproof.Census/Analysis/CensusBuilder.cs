using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census.Sources;
using Leakproof.Scopes.Internal;

namespace Leakproof.Census.Analysis;

/// <summary>Turns the raw operations of one capture into a <see cref="CensusSnapshot"/>: facts, links, owners, groups.</summary>
internal sealed partial class CensusBuilder
{
    /// <summary>The deepest logical async stack built.</summary>
    private const int MaxStackDepth = 64;

    /// <summary>Await-site frames by state machine type and state; frames are immutable, so captures share them.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type Type, int? State, bool ResolveLines), CensusFrame> s_sites = new();

    /// <summary>The engine being captured.</summary>
    private readonly CensusEngine _engine;

    /// <summary>How to capture.</summary>
    private readonly CensusCaptureOptions _options;

    /// <summary>The operations that hold a task, by task.</summary>
    private readonly Dictionary<Task, CensusNode> _byTask = new(ReferenceEqualityComparer.Instance);

    /// <summary>Facts about tasks met on stacks that the source does not list (created before the census).</summary>
    private readonly Dictionary<Task, TaskFacts> _untracked = new(ReferenceEqualityComparer.Instance);

    /// <summary>Task scope children by task, to add their spawn site to stacks.</summary>
    private readonly Dictionary<Task, TaskScopeChildInfo> _children = new(ReferenceEqualityComparer.Instance);

    /// <summary>Assemblies whose await sites could not be mapped to lines.</summary>
    private readonly SortedSet<string> _withoutPdb = new(StringComparer.Ordinal);

    /// <summary>Scratch list for continuation walks.</summary>
    private readonly List<object> _waiters = [];

    public CensusBuilder(CensusEngine engine, CensusCaptureOptions options)
    {
        _engine = engine;
        _options = options;
    }

    /// <summary>Builds the await-site frame of a state machine.</summary>
    /// <param name="machineType">The state machine type.</param>
    /// <param name="state">The await state.</param>
    /// <param name="resolveLines">Whether to read the PDB.</param>
    /// <returns>The frame.</returns>
    public static CensusFrame BuildSite(Type machineType, int? state, bool resolveLines) =>
        s_sites.GetOrAdd((machineType, state, resolveLines), static key => CreateSite(key.Type, key.State, key.ResolveLines));

    private static CensusFrame CreateSite(Type machineType, int? state, bool resolveLines)
    {
        (string File, int Line)? line = resolveLines && state is int s ? AwaitSiteResolver.Shared.Resolve(machineType, s) : null;
        return new CensusFrame
        {
            Method = StateMachineNames.MethodName(machineType),
            StateMachineType = machineType.FullName,
            State = state,
            File = line?.File,
            Line = line?.Line,
        };
    }

    /// <summary>Builds the census.</summary>
    /// <param name="raw">The operations the source listed.</param>
    /// <param name="warnings">The engine's warnings.</param>
    /// <param name="abandoned">The abandoned methods so far.</param>
    /// <returns>The census.</returns>
    public CensusSnapshot Build(List<RawOperation> raw, List<string> warnings, List<AbandonedOperation> abandoned)
    {
        if (!_options.IncludeOperations && !_options.IncludeAsyncStacks && _options.OwnerProbe is null && _options.Exclude is not { Count: > 0 })
        {
            return BuildGroupsOnly(raw, warnings, abandoned);
        }

        DateTimeOffset now = _engine.TimeProvider.GetUtcNow();
        long nowTimestamp = _engine.TimeProvider.GetTimestamp();
        var nodes = new List<CensusNode>(raw.Count);
        foreach (RawOperation operation in raw)
        {
            var node = new CensusNode(operation, operation.Task is { } task ? _engine.Inspector.Inspect(task) : EventNames.Facts(operation.OperationName));
            nodes.Add(node);
            if (operation.Task is not null)
            {
                _byTask[operation.Task] = node;
            }
        }

        AddScopeChildren(nodes, nowTimestamp);
        foreach (CensusNode node in nodes)
        {
            Link(node);
        }

        if (_options.Exclude is { Count: > 0 } exclude)
        {
            RemoveExcluded(nodes, exclude);
        }

        foreach (CensusNode node in nodes)
        {
            Describe(node, nowTimestamp);
        }

        foreach (CensusNode node in nodes)
        {
            _ = OwnerOf(node);
            if (_options.IncludeAsyncStacks)
            {
                node.Stack = BuildStack(node);
            }
        }

        nodes.Sort(static (a, b) => b.Age.CompareTo(a.Age));
        var operations = new List<PendingOperation>(nodes.Count);
        foreach (CensusNode node in nodes)
        {
            operations.Add(ToOperation(node));
        }

        foreach (string assembly in _withoutPdb)
        {
            warnings.Add($"No portable PDB was found for {assembly}: its await sites show the method and await state, not the line.");
        }

        return new CensusSnapshot
        {
            Process = ProcessInfo.Current,
            CapturedAt = now,
            Source = _engine.Source.Name,
            Warnings = warnings,
            Groups = CensusGrouping.ByAwaitSite(nodes),
            Chains = _options.IncludeAsyncStacks ? CensusGrouping.ByChain(nodes) : [],
            Operations = operations,
            Abandoned = abandoned,
        };
    }

    private void AddScopeChildren(List<CensusNode> nodes, long nowTimestamp)
    {
        foreach (TaskScope scope in ScopeRegistry.GetLiveScopes())
        {
            foreach (TaskScopeChildInfo child in scope.GetActiveChildren())
            {
                if (child.Task is not { IsCompleted: false } task)
                {
                    continue; // Its delegate is still running synchronously, or it just completed.
                }

                _children[task] = child;
                if (!_byTask.TryGetValue(task, out CensusNode? node))
                {
                    // Not in the source (a pooled ValueTask box, or started before the census): the scope still knows it.
                    var raw = new RawOperation { Id = task.Id, Task = task, FirstSeen = nowTimestamp };
                    node = new CensusNode(raw, _engine.Inspector.Inspect(task));
                    nodes.Add(node);
                    _byTask[task] = node;
                }

                node.Child = child;
            }
        }
    }

    private void RemoveExcluded(List<CensusNode> nodes, IReadOnlyCollection<Task> exclude)
    {
        var excluded = new HashSet<CensusNode>(ReferenceEqualityComparer.Instance);
        foreach (Task task in exclude)
        {
            if (_byTask.TryGetValue(task, out CensusNode? node))
            {
                excluded.Add(node);
            }

            // Whoever awaits an excluded task is excluded too, up the chain (the test method awaiting the checker).
            _waiters.Clear();
            _engine.Inspector.GetWaiters(task, _waiters);
            foreach (object waiter in _waiters)
            {
                if (waiter is Task awaiting && _byTask.TryGetValue(awaiting, out CensusNode? parent))
                {
                    excluded.Add(parent);
                }
            }
        }

        // Walk up from each excluded node so every awaiter above it goes too.
        foreach (CensusNode node in new List<CensusNode>(excluded))
        {
            CensusNode? up = node.Parent;
            while (up is not null && excluded.Add(up))
            {
                up = up.Parent;
            }
        }

        nodes.RemoveAll(excluded.Contains);
        foreach (CensusNode node in excluded)
        {
            if (node.Task is not null)
            {
                _byTask.Remove(node.Task);
            }
        }
    }

    private void Link(CensusNode node)
    {
        if (node.Task is null)
        {
            return;
        }

        _waiters.Clear();
        _engine.Inspector.GetWaiters(node.Task, _waiters);
        foreach (object waiter in _waiters)
        {
            if (waiter is Task task && task != node.Task && _byTask.TryGetValue(task, out CensusNode? parent))
            {
                node.Parent = parent;
                return;
            }
        }
    }

    private void Describe(CensusNode node, long nowTimestamp)
    {
        TaskFacts facts = node.Facts;
        if (facts.StateMachineType is { } machine)
        {
            node.Site = BuildSite(machine, facts.State, _options.ResolveSourceLines);
            if (_options.ResolveSourceLines && node.Site.File is null && facts.State >= 0 && !AwaitSiteResolver.Shared.HasPdb(machine))
            {
                _withoutPdb.Add(machine.Assembly.GetName().Name ?? machine.Assembly.FullName ?? "?");
            }
        }
        else if (facts.Kind == PendingOperationKind.AsyncMethod)
        {
            node.Site = new CensusFrame { Method = facts.Description };
        }

        node.Awaiting = facts.Awaited switch
        {
            Task task => new AwaitTarget
            {
                Kind = _byTask.TryGetValue(task, out CensusNode? target) ? target.Kind : _engine.Inspector.Classify(task),
                TypeName = FactsOf(task).Description,
                OperationId = target?.Raw.Id,
            },
            { } source => new AwaitTarget { Kind = TaskInspector.ClassifySource(source), TypeName = StateMachineNames.TypeName(source.GetType()) },
            null => null,
        };

        node.Age = node.Child?.Age ?? _engine.TimeProvider.GetElapsedTime(node.Raw.FirstSeen, nowTimestamp);
    }

    private string? OwnerOf(CensusNode node)
    {
        if (node.OwnerRead)
        {
            return node.Owner;
        }

        node.OwnerRead = true; // Set first: a cycle of waiters ends here instead of recursing forever.
        ExecutionContext? context = node.Task is { } task ? _engine.Inspector.Fields.ReadContext(task) : null;
        context ??= node.Raw.CreationContext;
        if (node.Raw.Tracking is { } tracking && node.Raw.CreationContext is not null)
        {
            tracking.CreationContext = node.Raw.CreationContext; // Kept for the owner of the task if it is abandoned.
        }

        node.Owner = context is not null
            ? OwnerReader.Read(context, _options.OwnerProbe)
            : node.Parent is { } parent ? OwnerOf(parent) : null;
        return node.Owner;
    }

    private List<CensusFrame> BuildStack(CensusNode node)
    {
        var frames = new List<CensusFrame> { node.Site ?? new CensusFrame { Method = node.Facts.Description } };
        Task? current = node.Task;
        var seen = new HashSet<Task>(ReferenceEqualityComparer.Instance);
        while (current is not null && frames.Count < MaxStackDepth && seen.Add(current))
        {
            if (_children.TryGetValue(current, out TaskScopeChildInfo? child))
            {
                frames.Add(new CensusFrame
                {
                    Method = $"TaskScope \"{child.Scope.Name}\" child spawned in {child.CallerMemberName}",
                    File = child.CallerFilePath,
                    Line = child.CallerLineNumber,
                });
            }

            _waiters.Clear();
            _engine.Inspector.GetWaiters(current, _waiters);
            Task? next = null;
            foreach (object waiter in _waiters)
            {
                if (waiter is Task task && task != current)
                {
                    next = task;
                    break;
                }
            }

            if (next is null)
            {
                break;
            }

            frames.Add(FrameOf(next));
            current = next;
        }

        return frames;
    }

    private CensusFrame FrameOf(Task task)
    {
        if (_byTask.TryGetValue(task, out CensusNode? node) && node.Site is not null)
        {
            return node.Site;
        }

        TaskFacts facts = FactsOf(task);
        return facts.StateMachineType is { } machine
            ? BuildSite(machine, facts.State, _options.ResolveSourceLines)
            : new CensusFrame { Method = facts.Description };
    }

    private TaskFacts FactsOf(Task task)
    {
        if (_byTask.TryGetValue(task, out CensusNode? node))
        {
            return node.Facts;
        }

        if (!_untracked.TryGetValue(task, out TaskFacts? facts))
        {
            facts = _engine.Inspector.Inspect(task);
            _untracked[task] = facts;
        }

        return facts;
    }

    private static PendingOperation ToOperation(CensusNode node)
    {
        CreationSite? created = node.Child is { } child
            ? new CreationSite { Member = child.CallerMemberName, File = child.CallerFilePath, Line = child.CallerLineNumber, StackTrace = node.Raw.CreationStack }
            : node.Raw.CreationStack is { } stack ? new CreationSite { StackTrace = stack } : null;
        Debug.Assert(node.Parent != node, "An operation never awaits itself.");
        return new PendingOperation
        {
            Id = node.Raw.Id,
            Kind = node.Kind,
            Description = node.Facts.Description,
            AwaitSite = node.Site,
            Awaiting = node.Awaiting,
            IsRunning = node.Facts.IsRunning,
            AsyncStack = node.Stack,
            AwaitedById = node.Parent?.Raw.Id,
            CreatedAt = created,
            Age = node.Age,
            ScopeName = node.Child?.Scope.Name,
            Owner = node.Owner,
            TakeoverSequence = node.Raw.Sequence,
        };
    }
}
