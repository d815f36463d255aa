using System;
using System.Collections.Generic;
using System.Text;

namespace Leakproof.Census.Analysis;

/// <summary>Groups operations by await site and coalesces identical logical async stacks.</summary>
internal static class CensusGrouping
{
    /// <summary>Groups operations by await site (async methods) or by kind and description (everything else).</summary>
    /// <param name="nodes">The operations.</param>
    /// <returns>The groups, largest first.</returns>
    public static IReadOnlyList<CensusGroup> ByAwaitSite(List<CensusNode> nodes)
    {
        // Keyed by (type, state, kind, description) without building a string per operation; the text key is made once per group.
        var groups = new Dictionary<(Type? Machine, int? State, PendingOperationKind Kind, string Description), Accumulator>();
        foreach (CensusNode node in nodes)
        {
            (Type?, int?, PendingOperationKind, string) key = node.Facts.StateMachineType is { } machine
                ? (machine, node.Facts.State, node.Kind, string.Empty)
                : (null, null, node.Kind, node.Facts.Description);
            if (!groups.TryGetValue(key, out Accumulator? group))
            {
                string text = node.Facts.StateMachineType is { } type ? $"{type.FullName}#{node.Facts.State}" : $"{node.Kind}:{node.Facts.Description}";
                group = new Accumulator(text, node);
                groups.Add(key, group);
            }

            group.Add(node, node.Raw.Id);
        }

        var result = new List<CensusGroup>(groups.Count);
        foreach (Accumulator group in groups.Values)
        {
            result.Add(new CensusGroup
            {
                Key = group.Key,
                Site = group.First.Site,
                Kind = group.First.Kind,
                Awaiting = group.First.Awaiting,
                Stack = group.First.Stack.Count > 0 ? group.First.Stack : null,
                Count = group.Ids.Count,
                OldestAge = group.Oldest,
                YoungestAge = group.Youngest,
                OperationIds = group.Ids,
            });
        }

        result.Sort(static (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Key, b.Key));
        return result;
    }

    /// <summary>Coalesces the chains (from each innermost operation up) that share every frame.</summary>
    /// <param name="nodes">The operations, with stacks built.</param>
    /// <returns>The chain groups, largest first.</returns>
    public static IReadOnlyList<CensusChainGroup> ByChain(List<CensusNode> nodes)
    {
        var groups = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        var key = new StringBuilder();
        foreach (CensusNode node in nodes)
        {
            if (node.Awaiting?.OperationId is not null)
            {
                continue; // Not innermost: the operation it awaits starts the chain.
            }

            key.Clear();
            foreach (CensusFrame frame in node.Stack)
            {
                key.Append(frame.StateMachineType ?? frame.Method).Append('#').Append(frame.State).Append('|');
            }

            string text = key.ToString();
            if (!groups.TryGetValue(text, out Accumulator? group))
            {
                group = new Accumulator(text, node);
                groups.Add(text, group);
            }

            group.Add(node, node.Raw.Id);
        }

        var result = new List<CensusChainGroup>(groups.Count);
        foreach (Accumulator group in groups.Values)
        {
            result.Add(new CensusChainGroup { Frames = group.First.Stack, Count = group.Ids.Count, OldestAge = group.Oldest, OperationIds = group.Ids });
        }

        result.Sort(static (a, b) => b.Count.CompareTo(a.Count));
        return result;
    }

    /// <summary>Counts and ages of one group while it is built.</summary>
    private sealed class Accumulator(string key, CensusNode first)
    {
        public string Key { get; } = key;

        public CensusNode First { get; } = first;

        public List<long> Ids { get; } = [];

        public TimeSpan Oldest { get; private set; } = TimeSpan.MinValue;

        public TimeSpan Youngest { get; private set; } = TimeSpan.MaxValue;

        public void Add(CensusNode node, long id)
        {
            Ids.Add(id);
            Oldest = node.Age > Oldest ? node.Age : Oldest;
            Youngest = node.Age < Youngest ? node.Age : Youngest;
        }
    }
}
