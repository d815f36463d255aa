using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Leakproof.Census;

namespace Leakproof.HeapCensus.Internal;

/// <summary>Groups the operations of a heap census by await site and coalesces identical logical async stacks, with the in-process census's keys.</summary>
internal static class HeapGrouping
{
    /// <summary>Groups operations by await site (async methods) or by kind and description (everything else).</summary>
    /// <param name="nodes">The operations.</param>
    /// <param name="describeFirsts">Completes the first operation of each group before the groups are made, or <see langword="null"/> when every operation is complete.</param>
    /// <returns>The groups, largest first.</returns>
    // Runs once per census over every heap object or operation: compiled optimized at once, not through tiering.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static IReadOnlyList<CensusGroup> ByAwaitSite(List<HeapNode> nodes, Action<IReadOnlyList<HeapNode>>? describeFirsts = null)
    {
        var groups = new Dictionary<string, Accumulator>(StringComparer.Ordinal);

        // Each node finds its group through its site (one frame per await site) or its kind and description,
        // compared by reference: no key text is built or hashed per operation. Two sites with the same key text (one
        // type loaded twice) still share one group.
        var bySite = new Dictionary<CensusFrame, Accumulator>(ReferenceEqualityComparer.Instance);
        var byOther = new Dictionary<(PendingOperationKind Kind, string Description), Accumulator>();
        foreach (HeapNode node in nodes)
        {
            Accumulator? group;
            if (node.Site is { StateMachineType: { } machine } site)
            {
                if (!bySite.TryGetValue(site, out group))
                {
                    group = GroupOf(groups, $"{machine}#{node.State}", node);
                    bySite.Add(site, group);
                }
            }
            else if (!byOther.TryGetValue((node.Kind, node.Description), out group))
            {
                group = GroupOf(groups, $"{node.Kind}:{node.Description}", node);
                byOther.Add((node.Kind, node.Description), group);
            }

            group.Ids.Add(node.Id);
        }

        describeFirsts?.Invoke([.. groups.Values.Select(g => g.First)]);
        var result = new List<CensusGroup>(groups.Count);
        foreach ((string key, Accumulator group) in groups)
        {
            HeapNode first = group.First;
            result.Add(new CensusGroup
            {
                Key = key,
                Site = first.Site,
                Kind = first.Kind,
                Awaiting = first.Awaiting,
                Stack = first.Stack.Count > 0 ? first.Stack : null,
                Count = group.Ids.Count,
                OperationIds = group.Ids,
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

    private static Accumulator GroupOf(Dictionary<string, Accumulator> groups, string key, HeapNode node)
    {
        if (!groups.TryGetValue(key, out Accumulator? group))
        {
            group = new Accumulator(node);
            groups.Add(key, group);
        }

        return group;
    }

    /// <summary>One group while it is built: its first operation and every id.</summary>
    /// <param name="first">The group's first operation.</param>
    private sealed class Accumulator(HeapNode first)
    {
        public HeapNode First { get; } = first;

        public List<long> Ids { get; } = [];
    }
}
