using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.Diagnostics.Runtime;

namespace Leakproof.HeapCensus.Internal;

/// <content>Reachability: a mark pass from the GC roots separates parked work from abandoned work.</content>
internal sealed partial class DumpAnalyzer
{
    // Runs once per census over every heap object or operation: compiled optimized at once, not through tiering.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private HeapMarks MarkReachable(ClrRuntime runtime, ClrHeap heap, HeapReader reader)
    {
        // A heap walk includes garbage: the objects reachable from the GC roots are the ones that can still run.
        // Dependent handles (ConditionalWeakTable) keep their secondary alive while their primary is: they are
        // followed from a table built once, so a primary without references of its own still leads to its secondary.
        var dependents = new Dictionary<ulong, List<ulong>>();
        foreach (ClrHandle handle in runtime.EnumerateHandles())
        {
            if (handle.HandleKind == ClrHandleKind.Dependent && handle.Object.Address != 0 && handle.Dependent.Address != 0)
            {
                if (!dependents.TryGetValue(handle.Object.Address, out List<ulong>? secondaries))
                {
                    dependents.Add(handle.Object.Address, secondaries = []);
                }

                secondaries.Add(handle.Dependent.Address);
            }
        }

        EndPhase("reachability.handles");
        var marked = new HeapMarks(heap);
        var stack = new Stack<ulong>();
        foreach (ClrRoot root in heap.EnumerateRoots())
        {
            Mark(root.Object.Address);
        }

        EndPhase("reachability.roots");
        int walked = 0;
        while (stack.Count > 0)
        {
            if (++walked % CancellationStride == 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
            }

            ulong address = stack.Pop();
            if (reader.PointerTypeAt(address) is { } type)
            {
                foreach (ulong child in heap.GetObject(address, type).EnumerateReferenceAddresses(carefully: false, considerDependantHandles: false))
                {
                    Mark(child);
                }
            }

            if (dependents.Count > 0 && dependents.TryGetValue(address, out List<ulong>? secondaries))
            {
                foreach (ulong secondary in secondaries)
                {
                    Mark(secondary);
                }
            }
        }

        return marked;

        void Mark(ulong address)
        {
            if (address != 0 && marked.Add(address))
            {
                stack.Push(address);
            }
        }
    }
}
