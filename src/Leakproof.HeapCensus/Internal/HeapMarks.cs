using System;
using System.Collections.Generic;
using Microsoft.Diagnostics.Runtime;

namespace Leakproof.HeapCensus.Internal;

/// <summary>
/// The set of objects marked reachable: one bit per pointer-aligned address of each GC segment (a heap of N bytes
/// costs N / 64 bytes), with a hash set for any address outside the segments. Far cheaper than hashing millions of
/// addresses.
/// </summary>
internal sealed class HeapMarks
{
    private readonly ulong[] _starts;

    private readonly ulong[] _ends;

    private readonly ulong[][] _bits;

    private readonly HashSet<ulong> _outside = [];

    private int _last;

    public HeapMarks(ClrHeap heap)
    {
        var ranges = new List<MemoryRange>();
        foreach (ClrSegment segment in heap.Segments)
        {
            if (segment.ObjectRange.Length > 0)
            {
                ranges.Add(segment.ObjectRange);
            }
        }

        ranges.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        _starts = new ulong[ranges.Count];
        _ends = new ulong[ranges.Count];
        _bits = new ulong[ranges.Count][];
        for (int i = 0; i < ranges.Count; i++)
        {
            _starts[i] = ranges[i].Start;
            _ends[i] = ranges[i].End;
            _bits[i] = new ulong[(ranges[i].Length >> 9) + 1]; // 8-byte slots, 64 per word.
        }
    }

    /// <summary>Marks an address.</summary>
    /// <param name="address">The object's address.</param>
    /// <returns><see langword="true"/> when it was not marked yet.</returns>
    public bool Add(ulong address)
    {
        int segment = SegmentOf(address);
        if (segment < 0)
        {
            return _outside.Add(address);
        }

        ulong slot = (address - _starts[segment]) >> 3;
        ref ulong word = ref _bits[segment][slot >> 6];
        ulong bit = 1UL << (int)(slot & 63);
        if ((word & bit) != 0)
        {
            return false;
        }

        word |= bit;
        return true;
    }

    /// <summary>Tells whether an address is marked.</summary>
    /// <param name="address">The object's address.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public bool Contains(ulong address)
    {
        int segment = SegmentOf(address);
        if (segment < 0)
        {
            return _outside.Contains(address);
        }

        ulong slot = (address - _starts[segment]) >> 3;
        return (_bits[segment][slot >> 6] & (1UL << (int)(slot & 63))) != 0;
    }

    private int SegmentOf(ulong address)
    {
        // Objects that reference each other are often in the same segment: the last one found is tried first.
        int last = _last;
        if (last < _starts.Length && address >= _starts[last] && address < _ends[last])
        {
            return last;
        }

        int index = Array.BinarySearch(_starts, address);
        if (index < 0)
        {
            index = ~index - 1;
        }

        if (index >= 0 && address < _ends[index])
        {
            _last = index;
            return index;
        }

        return -1;
    }
}
