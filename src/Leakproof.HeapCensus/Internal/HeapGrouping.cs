using System;
using System.Collections.Generic;
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

        // The key text is built once per await site (sites are shared frames) or per kind and description, not per operation.
        var siteKeys = new Dictionary<CensusFrame, string>(ReferenceEqualityComparer.Instance);
        var otherKeys = new Dictionary<(PendingOperationKind Kind, string Description), string>();
        foreach (HeapNode node in nodes)
        {
            string key;
            if (node.Site is { StateMachineType: { } machine } site)
            {
                if (!siteKeys.TryGetValue(site, out key!))
                {
                    key = $"{machine}#{node.State}";
                    siteKeys.Add(site, key);
                }
            }
            else if (!otherKeys.TryGetValue((node.Kind, node.Description), out key!))
            {
                key = $"{node.Kind}:{node.Description}";
                otherKeys.Add((node.Kind, node.Description), key);
            }

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
        // A chain's key is an interned id: each (prefix id, frame id) pair gets one, so equal frame sequences (by
        // state machine or method, and await state) get equal ids with no text built per operation.
        var groups = new Dictionary<int, (HeapNode First, List<long> Ids)>();
        var frameIds = new Dictionary<CensusFrame, int>(ReferenceEqualityComparer.Instance);
        var frameKeys = new Dictionary<(string Name, int? State), int>();
        var prefixes = new Dictionary<(int Prefix, int Frame), int>();
        foreach (HeapNode node in nodes)
        {
            if (node.Awaiting?.OperationId is not null)
            {
                continue; // Not innermost: the operation it awaits starts the chain.
            }

            int chain = 0;
            foreach (CensusFrame frame in node.Stack)
            {
                if (!frameIds.TryGetValue(frame, out int frameId))
                {
                    (string Name, int? State) text = (frame.StateMachineType ?? frame.Method, frame.State);
                    if (!frameKeys.TryGetValue(text, out frameId))
                    {
                        frameId = frameKeys.Count + 1;
                        frameKeys.Add(text, frameId);
                    }

                    frameIds.Add(frame, frameId);
                }

                if (!prefixes.TryGetValue((chain, frameId), out int next))
                {
                    next = prefixes.Count + 1;
                    prefixes.Add((chain, frameId), next);
                }

                chain = next;
            }

            if (!groups.TryGetValue(chain, out (HeapNode First, List<long> Ids) group))
            {
                group = (node, []);
                groups.Add(chain, group);
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
