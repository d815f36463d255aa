using System.Collections.Generic;
using Microsoft.Diagnostics.Runtime;

namespace Leakproof.HeapCensus.Internal;

/// <summary>
/// Walks every object of the GC heap as the GC lays them out: from each segment's first object, the next one starts
/// where the size of this one (its method table's base size, plus the element count times the component size for
/// arrays and strings, pointer-aligned) ends, and the unformatted allocation contexts of gen0 are skipped. The same
/// rule as ClrMD's <c>ClrHeap.EnumerateObjects</c>, but the type and size facts are looked up once per method table
/// instead of once per object: the walk of a large dump takes a fraction of the time.
/// </summary>
/// <remarks>
/// A method table ClrMD cannot resolve, or a size that leaves the segment, ends the walk of that segment (ClrMD's
/// non-careful walk does the same): the rest of a segment cannot be found past an object of unknown size.
/// <see cref="StoppedSegments"/> counts those segments so the census can say so.
/// </remarks>
internal sealed class HeapWalker
{
    private readonly ClrHeap _heap;

    private readonly IMemoryReader _memory;

    private readonly Dictionary<ulong, WalkedType?> _types = [];

    private readonly Dictionary<ulong, ulong> _allocationContexts = [];

    private readonly uint _pointerSize;

    private readonly ulong _stringMethodTable;

    public HeapWalker(ClrHeap heap, IMemoryReader memory)
    {
        _heap = heap;
        _memory = memory;
        _pointerSize = (uint)memory.PointerSize;
        _stringMethodTable = heap.StringType.MethodTable;
        foreach (MemoryRange context in heap.EnumerateAllocationContexts())
        {
            _allocationContexts[context.Start] = context.End;
        }
    }

    /// <summary>Gets the number of segments whose walk stopped early at an object of unknown type or size.</summary>
    public int StoppedSegments { get; private set; }

    /// <summary>Enumerates the objects of every segment, in address order within a segment.</summary>
    /// <returns>Each object with its type.</returns>
    public IEnumerable<(ulong Address, ClrType Type)> EnumerateObjects()
    {
        foreach (ClrSegment segment in _heap.Segments)
        {
            foreach ((ulong Address, ClrType Type) obj in EnumerateObjects(segment))
            {
                yield return obj;
            }
        }
    }

    private IEnumerable<(ulong Address, ClrType Type)> EnumerateObjects(ClrSegment segment)
    {
        ulong end = segment.ObjectRange.End;
        ulong minimum = 3 * _pointerSize;

        // Large and pinned objects are 8-byte aligned on every platform; the others are pointer-aligned.
        ulong alignMask = segment.Kind is GCSegmentKind.Large or GCSegmentKind.Pinned ? 7UL : _pointerSize - 1UL;
        bool skipsContexts = _allocationContexts.Count > 0 && segment.Kind is not (GCSegmentKind.Large or GCSegmentKind.Frozen);
        ulong address = segment.FirstObjectAddress;
        while (address >= segment.ObjectRange.Start && address < end)
        {
            ulong methodTable = _memory.ReadPointer(address);
            if (TypeOf(methodTable) is not { } walked)
            {
                StoppedSegments++;
                yield break;
            }

            yield return (address, walked.Type);
            ulong size = walked.BaseSize;
            if (walked.ComponentSize != 0)
            {
                ulong count = _memory.Read<uint>(address + _pointerSize);
                if (methodTable == _stringMethodTable)
                {
                    count++; // A string's base size leaves out its terminating null character.
                }

                size += count * walked.ComponentSize;
            }

            size = (size + alignMask) & ~alignMask;
            address += size < minimum ? minimum : size;
            while (skipsContexts && _allocationContexts.TryGetValue(address, out ulong contextEnd))
            {
                ulong next = contextEnd + ((minimum + alignMask) & ~alignMask);
                if (next <= address)
                {
                    StoppedSegments++;
                    yield break; // A context that does not move forward: the dump is inconsistent here.
                }

                address = next;
            }
        }
    }

    private WalkedType? TypeOf(ulong methodTable)
    {
        if (methodTable == 0)
        {
            return null;
        }

        if (!_types.TryGetValue(methodTable, out WalkedType? walked))
        {
            walked = _heap.GetTypeByMethodTable(methodTable) is { StaticSize: > 0 } type
                ? new WalkedType(type, (uint)type.StaticSize, (uint)type.ComponentSize)
                : null;
            _types.Add(methodTable, walked);
        }

        return walked;
    }

    /// <summary>What the walk needs of a method table.</summary>
    /// <param name="Type">The type.</param>
    /// <param name="BaseSize">The size of an instance, or of an array or string with no elements.</param>
    /// <param name="ComponentSize">The size of an element, or 0 for a type that is no array or string.</param>
    private sealed record WalkedType(ClrType Type, uint BaseSize, uint ComponentSize);
}
