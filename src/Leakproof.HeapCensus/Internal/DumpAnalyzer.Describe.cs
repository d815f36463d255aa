using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using Leakproof.Census;
using Microsoft.Diagnostics.Runtime;

namespace Leakproof.HeapCensus.Internal;

/// <content>Describing pending tasks: fields, links, await sites and stacks, and the abandoned methods.</content>
internal sealed partial class DumpAnalyzer
{
    private static Dictionary<ulong, HeapNode> IndexByAddress(List<HeapNode> nodes)
    {
        var byAddress = new Dictionary<ulong, HeapNode>(nodes.Count);
        foreach (HeapNode node in nodes)
        {
            byAddress[node.Address] = node;
        }

        return byAddress;
    }

    /// <summary>Reads each task's id and, for async methods, its await state, site and (with an index) awaited object.</summary>
    // Runs once per census over every heap object or operation: compiled optimized at once, not through tiering.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Describe(List<HeapNode> nodes, HeapReader reader, PdbAwaitLines pdbs, Dictionary<ulong, HeapNode>? byAddress)
    {
        long synthetic = SyntheticIdBase;
        foreach (HeapNode node in nodes)
        {
            int id = reader.ReadTaskId(node.Address);
            node.Id = id != 0 ? id : synthetic++;
            if (node.Shape.Box is { } box)
            {
                if (reader.ReadMachine(node.Address, box) is { } machine)
                {
                    node.State = reader.ReadState(machine);
                    node.Site = SiteOf(machine.Layout, node.State, pdbs);
                    if (node.State >= 0 && byAddress is not null)
                    {
                        node.Awaited = reader.ReadAwaited(machine, byAddress);
                    }
                }
                else
                {
                    node.MarkMachineCleared();
                }
            }
            else if (node.Shape.IsPlainTask && reader.HasAction(node.Address))
            {
                node.MarkTaskRun();
            }
        }
    }

    /// <summary>A groups-only census: what the first operation of each group awaits, with one pass over the operations to find those awaited tasks.</summary>
    private void DescribeFirsts(IReadOnlyList<HeapNode> firsts, List<HeapNode> nodes, HeapReader reader, PdbAwaitLines pdbs)
    {
        var awaited = new Dictionary<ulong, HeapNode?>();
        foreach (HeapNode first in firsts)
        {
            if (first.State >= 0 && first.Shape.Box is { } box && reader.ReadMachine(first.Address, box) is { } machine)
            {
                first.Awaited = reader.ReadAwaited(machine, tasks: null);
                awaited[first.Awaited] = null;
            }
        }

        foreach (HeapNode node in nodes)
        {
            if (awaited.ContainsKey(node.Address))
            {
                awaited[node.Address] = node;
            }
        }

        var index = new Dictionary<ulong, HeapNode>();
        foreach ((ulong address, HeapNode? node) in awaited)
        {
            if (node is not null)
            {
                index.Add(address, node);
            }
        }

        foreach (HeapNode first in firsts)
        {
            first.Awaiting = AwaitingOf(first, index, reader);
            if (_options.IncludeAsyncStacks)
            {
                first.Stack = StackFromHeap(first, reader, pdbs);
            }
        }
    }

    /// <summary>
    /// A groups-only census: the logical stack of one operation, read up its awaiters straight from the heap (there is
    /// no index or link): the same frames <see cref="StackOf"/> gives in a full census.
    /// </summary>
    private List<CensusFrame> StackFromHeap(HeapNode node, HeapReader reader, PdbAwaitLines pdbs)
    {
        var frames = new List<CensusFrame> { node.Frame };
        var seen = new HashSet<ulong> { node.Address };
        var waiters = new List<ulong>();
        for (ulong task = node.Address; frames.Count < MaxStackDepth;)
        {
            ulong parent = 0;
            ulong continuation = reader.ReadContinuation(task);
            if (continuation != task && IsPendingTask(continuation, reader))
            {
                parent = continuation;
            }
            else
            {
                waiters.Clear();
                reader.AddWaiters(task, waiters);
                parent = waiters.Find(w => IsPendingTask(w, reader));
            }

            if (parent == 0 || !seen.Add(parent))
            {
                break;
            }

            frames.Add(FrameAt(parent, reader, pdbs));
            task = parent;
        }

        return frames;
    }

    private static bool IsPendingTask(ulong address, HeapReader reader) =>
        address != 0 && reader.ShapeAt(address) is { Role: HeapTypeRole.Task } && reader.IsPending(address);

    /// <summary>The frame a pending task adds to a stack, read from the heap: what <see cref="HeapNode.Frame"/> gives once described.</summary>
    private CensusFrame FrameAt(ulong address, HeapReader reader, PdbAwaitLines pdbs)
    {
        var node = new HeapNode(address, reader.ShapeAt(address)!);
        if (node.Shape.Box is { } box)
        {
            if (reader.ReadMachine(address, box) is { } machine)
            {
                node.State = reader.ReadState(machine);
                node.Site = SiteOf(machine.Layout, node.State, pdbs);
            }
            else
            {
                node.MarkMachineCleared();
            }
        }
        else if (node.Shape.IsPlainTask && reader.HasAction(address))
        {
            node.MarkTaskRun();
        }

        return node.Frame;
    }

    private static void Link(List<HeapNode> nodes, Dictionary<ulong, HeapNode> byAddress, HeapReader reader)
    {
        var waiters = new List<ulong>();
        foreach (HeapNode node in nodes)
        {
            // Most often the continuation is the awaiting async method's box itself: a task found in the heap walk.
            ulong continuation = reader.ReadContinuation(node.Address);
            if (continuation != node.Address && byAddress.TryGetValue(continuation, out HeapNode? box))
            {
                node.Parent = box;
                continue;
            }

            waiters.Clear();
            reader.AddWaiters(node.Address, waiters);
            foreach (ulong waiter in waiters)
            {
                if (byAddress.TryGetValue(waiter, out HeapNode? parent))
                {
                    node.Parent = parent;
                    break;
                }
            }
        }
    }

    private AwaitTarget? AwaitingOf(HeapNode node, Dictionary<ulong, HeapNode> byAddress, HeapReader reader)
    {
        if (node.Awaited == 0)
        {
            return null;
        }

        if (byAddress.TryGetValue(node.Awaited, out HeapNode? target))
        {
            return new AwaitTarget { Kind = target.Kind, TypeName = target.Description, OperationId = target.Id };
        }

        if (reader.TypeAt(node.Awaited) is not { } type)
        {
            return null;
        }

        if (_awaitTargets.TryGetValue(type.MethodTable, out AwaitTarget? cached))
        {
            return cached;
        }

        AwaitTarget awaitTarget = AwaitTargetOf(type, reader);
        _awaitTargets.Add(type.MethodTable, awaitTarget);
        return awaitTarget;
    }

    private static AwaitTarget AwaitTargetOf(ClrType type, HeapReader reader)
    {
        HeapTypeShape shape = reader.ShapeOf(type);

        // A completed task (the method is about to resume), or an IValueTaskSource such as a channel's blocked reader.
        if (shape.Role == HeapTypeRole.Task && shape.Description.Length > 0)
        {
            return new AwaitTarget { Kind = shape.Kind, TypeName = shape.Description };
        }

        (PendingOperationKind kind, string description) = HeapReader.Classify(type.Name ?? "?");
        return new AwaitTarget { Kind = kind, TypeName = description };
    }

    private static List<CensusFrame> StackOf(HeapNode node)
    {
        // Chains are short and acyclic: walked without a visited set; a walk that reaches the depth limit is redone
        // with one, so a cycle (which a consistent dump never holds) still stops where it closes.
        var frames = new List<CensusFrame>(4) { node.Frame };
        for (HeapNode? up = node.Parent; up is not null; up = up.Parent)
        {
            if (frames.Count == MaxStackDepth)
            {
                return StackWithCycleCheck(node);
            }

            frames.Add(up.Frame);
        }

        return frames;
    }

    private static List<CensusFrame> StackWithCycleCheck(HeapNode node)
    {
        var frames = new List<CensusFrame> { node.Frame };
        var seen = new HashSet<HeapNode>(ReferenceEqualityComparer.Instance) { node };
        for (HeapNode? up = node.Parent; up is not null && frames.Count < MaxStackDepth && seen.Add(up); up = up.Parent)
        {
            frames.Add(up.Frame);
        }

        return frames;
    }

    private CensusFrame SiteOf(MachineLayout box, int? state, PdbAwaitLines pdbs)
    {
        if (_sites.TryGetValue((box.Machine.MethodTable, state), out CensusFrame? site))
        {
            return site;
        }

        (string File, int Line)? line = null;
        if (_options.ResolveSourceLines && state is int s && s >= 0 && box.ModulePath is { } module && box.MoveNextToken != 0)
        {
            line = pdbs.Resolve(module, box.MoveNextToken, s);
            if (line is null && !pdbs.HasPdb(module))
            {
                _ = _withoutPdb.Add(Path.GetFileName(module));
            }
        }

        site = new CensusFrame
        {
            Method = HeapNames.MethodName(box.Name),
            StateMachineType = box.Name,
            State = state,
            File = line?.File,
            Line = line?.Line,
        };
        _sites.Add((box.Machine.MethodTable, state), site);
        return site;
    }

    private List<AbandonedOperation> DescribeAbandoned(List<HeapNode> abandoned, HeapReader reader, PdbAwaitLines pdbs)
    {
        var result = new List<AbandonedOperation>(abandoned.Count);
        foreach (HeapNode node in abandoned)
        {
            if (reader.ReadMachine(node.Address, node.Shape.Box!) is not { } machine)
            {
                continue; // A finished Debug build method whose box is garbage: nothing was abandoned.
            }

            int id = reader.ReadTaskId(node.Address);
            int? state = reader.ReadState(machine);
            CensusFrame site = SiteOf(machine.Layout, state, pdbs);
            ulong awaited = state >= 0 ? reader.ReadAwaited(machine, tasks: null) : 0;
            var description = new StringBuilder(machine.Layout.Name);
            _ = description.Append('\n').Append("<>1__state: ").Append(state?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?");
            if (awaited != 0 && reader.ShapeAt(awaited) is { } target)
            {
                _ = description.Append('\n').Append("awaiting: ").Append(target.Description);
            }

            description.Append('\n').Append("unreachable from every GC root: it can never resume, and its finally blocks will not run.");
            result.Add(new AbandonedOperation
            {
                Id = id != 0 ? id : null,
                DetectedAt = _capturedAt,
                Method = site.Method,
                AwaitSite = site,
                Description = description.ToString(),
            });
        }

        return result;
    }
}
