using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Leakproof.Census.Sources;
using Leakproof.Scopes.Internal;

namespace Leakproof.Census.Analysis;

/// <content>The groups-only capture: groups built without per-operation objects, links or sorting.</content>
internal sealed partial class CensusBuilder
{
    /// <summary>
    /// Builds the groups without an object per operation: each operation is inspected, keyed and counted; only the
    /// oldest operation of each group (the one <see cref="CensusGrouping.ByAwaitSite"/> describes the group by) gets an
    /// await site and target. No links, owners, stacks or <see cref="PendingOperation"/>s.
    /// </summary>
    private CensusSnapshot BuildGroupsOnly(List<RawOperation> raw, List<string> warnings, List<AbandonedOperation> abandoned)
    {
        DateTimeOffset now = _engine.TimeProvider.GetUtcNow();
        long nowTimestamp = _engine.TimeProvider.GetTimestamp();
        var inRaw = new HashSet<Task>(ReferenceEqualityComparer.Instance);
        var extra = new List<RawOperation>();
        foreach (TaskScope scope in ScopeRegistry.GetLiveScopes())
        {
            foreach (TaskScopeChildInfo child in scope.GetActiveChildren())
            {
                if (child.Task is { IsCompleted: false } task)
                {
                    _children[task] = child;
                }
            }
        }

        if (_children.Count > 0)
        {
            // Scope children the source does not list are added, as the full build does.
            foreach (RawOperation operation in raw)
            {
                if (operation.Task is not null)
                {
                    inRaw.Add(operation.Task);
                }
            }

            foreach (Task task in _children.Keys)
            {
                if (!inRaw.Contains(task))
                {
                    extra.Add(new RawOperation { Id = task.Id, Task = task, FirstSeen = nowTimestamp });
                }
            }

            foreach (RawOperation operation in extra)
            {
                inRaw.Add(operation.Task!);
            }
        }

        var groups = new Dictionary<(Type? Machine, int? State, PendingOperationKind Kind, string Description), GroupSketch>();
        foreach (List<RawOperation> list in (List<RawOperation>[])[raw, extra])
        {
            foreach (RawOperation operation in list)
            {
                TaskFacts facts = operation.Task is { } task ? _engine.Inspector.Inspect(task) : EventNames.Facts(operation.OperationName);
                TaskScopeChildInfo? child = operation.Task is { } t && _children.TryGetValue(t, out TaskScopeChildInfo? c) ? c : null;
                PendingOperationKind kind = child is not null ? PendingOperationKind.ScopeChild : facts.Kind;
                (Type?, int?, PendingOperationKind, string) key = facts.StateMachineType is { } machine
                    ? (machine, facts.State, kind, string.Empty)
                    : (null, null, kind, facts.Description);
                TimeSpan age = child?.Age ?? _engine.TimeProvider.GetElapsedTime(operation.FirstSeen, nowTimestamp);
                if (!groups.TryGetValue(key, out GroupSketch? group))
                {
                    group = new GroupSketch(kind);
                    groups.Add(key, group);
                }

                group.Ids.Add(operation.Id);
                if (age > group.Oldest || group.Facts is null)
                {
                    group.Oldest = age;
                    group.Facts = facts;
                }

                group.Youngest = age < group.Youngest ? age : group.Youngest;
            }
        }

        // Whether each group's awaited task is itself listed (its id is then the target's operation id).
        if (inRaw.Count == 0)
        {
            var targets = new HashSet<Task>(ReferenceEqualityComparer.Instance);
            foreach (GroupSketch group in groups.Values)
            {
                if (group.Facts?.Awaited is Task target)
                {
                    targets.Add(target);
                }
            }

            if (targets.Count > 0)
            {
                foreach (RawOperation operation in raw)
                {
                    if (operation.Task is { } task && targets.Contains(task))
                    {
                        inRaw.Add(task);
                    }
                }
            }
        }

        var result = new List<CensusGroup>(groups.Count);
        foreach (GroupSketch group in groups.Values)
        {
            TaskFacts facts = group.Facts!;
            var node = new CensusNode(new RawOperation(), facts);
            Describe(node, nowTimestamp);
            AwaitTarget? awaiting = facts.Awaited is Task target
                ? new AwaitTarget
                {
                    Kind = _children.ContainsKey(target) ? PendingOperationKind.ScopeChild : _engine.Inspector.Classify(target),
                    TypeName = FactsOf(target).Description,
                    OperationId = inRaw.Contains(target) ? target.Id : null,
                }
                : node.Awaiting;
            result.Add(new CensusGroup
            {
                Key = facts.StateMachineType is { } type ? $"{type.FullName}#{facts.State}" : $"{group.Kind}:{facts.Description}",
                Site = node.Site,
                Kind = group.Kind,
                Awaiting = awaiting,
                Count = group.Ids.Count,
                OldestAge = group.Oldest,
                YoungestAge = group.Youngest,
                OperationIds = group.Ids,
            });
        }

        result.Sort(static (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Key, b.Key));
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
            Groups = result,
            Chains = [],
            Operations = [],
            Abandoned = abandoned,
        };
    }

    /// <summary>One group while the groups-only census is built.</summary>
    private sealed class GroupSketch(PendingOperationKind kind)
    {
        public PendingOperationKind Kind { get; } = kind;

        public List<long> Ids { get; } = [];

        public TaskFacts? Facts { get; set; }

        public TimeSpan Oldest { get; set; } = TimeSpan.MinValue;

        public TimeSpan Youngest { get; set; } = TimeSpan.MaxValue;
    }
}
