using System;
using System.Collections.Generic;
using System.Text;
using Leakproof.Census;

namespace Leakproof.HeapCensus.Internal;

/// <summary>Groups the operations of a heap census by await site and coalesces identical logical async stacks, with the in-process census's keys.</summary>
internal static class HeapGrouping
{
    /// <summary>Groups operations by await site (async methods) or by kind and description (everything else).</summary>
    /// <param name="nodes">The operations.</param>
    /// <returns>The groups, largest first.</returns>
    public static IReadOnlyList<CensusGroup> ByAwaitSite(List<HeapNode> nodes)
    {
        var groups = new Dictionary<string, (HeapNode First, List<long> Ids)>(StringComparer.Ordinal);
        foreach (HeapNode node in nodes)
        {
            string key = node.Site?.StateMachineType is { } machine ? $"{machine}#{node.State}" : $"{node.Kind}:{node.Description}";
            if (!groups.TryGetValue(key, out (HeapNode First, List<long> Ids) group))
            {
                group = (node, []);
                groups.Add(key, group);
            }

            group.Ids.Add(node.Id);
        }

        var result = new List<CensusGroup>(groups.Count);
        foreach ((string key, (HeapNode first, List<long> ids)) in groups)
        {
            result.Add(new CensusGroup
            {
                Key = key,
                Site = first.Site,
                Kind = first.Kind,
                Awaiting = first.Awaiting,
                Count = ids.Count,
                OperationIds = ids,
            });
        }

        result.Sort(static (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Key, b.Key));
        return result;
    }

    /// <summary>Coalesces the chains (from each innermost operation up) that share every frame.</summary>
    /// <param name="nodes">The operations, with stacks built.</param>
    /// <returns>The chain groups, largest first.</returns>
    public static IReadOnlyList<CensusChainGroup> ByChain(List<HeapNode> nodes)
    {
        var groups = new Dictionary<string, (HeapNode First, List<long> Ids)>(StringComparer.Ordinal);
        var key = new StringBuilder();
        foreach (HeapNode node in nodes)
        {
            if (node.Awaiting?.OperationId is not null)
            {
                continue; // Not innermost: the operation it awaits starts the chain.
            }

            _ = key.Clear();
            foreach (CensusFrame frame in node.Stack)
            {
                _ = key.Append(frame.StateMachineType ?? frame.Method).Append('#').Append(frame.State).Append('|');
            }

            string text = key.ToString();
            if (!groups.TryGetValue(text, out (HeapNode First, List<long> Ids) group))
            {
                group = (node, []);
                groups.Add(text, group);
            }

            group.Ids.Add(node.Id);
        }

        var result = new List<CensusChainGroup>(groups.Count);
        foreach ((HeapNode first, List<long> ids) in groups.Values)
        {
            result.Add(new CensusChainGroup { Frames = first.Stack, Count = ids.Count, OperationIds = ids });
        }

        result.Sort(static (a, b) => b.Count.CompareTo(a.Count));
        return result;
    }
}
