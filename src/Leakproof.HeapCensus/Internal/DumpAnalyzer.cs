using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Leakproof.Census;
using Microsoft.Diagnostics.Runtime;

namespace Leakproof.HeapCensus.Internal;

/// <summary>
/// Builds a census from a heap dump: finds every unfinished task in the heap, keeps those reachable from the GC
/// roots (the unreachable suspended async methods are abandoned), links each task to the task awaiting it through
/// its continuation, resolves each await state to a source line and groups the result like the in-process census.
/// </summary>
internal sealed partial class DumpAnalyzer
{
    /// <summary>The source name heap censuses carry.</summary>
    public const string SourceName = "heap-dump";

    /// <summary>The deepest logical async stack built.</summary>
    private const int MaxStackDepth = 64;

    /// <summary>How many objects are walked between two cancellation checks.</summary>
    private const int CancellationStride = 1 << 16;

    /// <summary>Ids given to tasks whose id the runtime never assigned: above any task id (an int), so never confused with one.</summary>
    private const long SyntheticIdBase = 1L << 32;

    private readonly HeapCensusOptions _options;

    private readonly TargetInfo? _target;

    private readonly DateTimeOffset _capturedAt;

    private readonly CancellationToken _cancellationToken;

    private readonly List<string> _warnings = [];

    private readonly SortedSet<string> _withoutPdb = new(StringComparer.Ordinal);

    private readonly Dictionary<(ulong MethodTable, int? State), CensusFrame> _sites = [];

    private readonly List<(string Phase, TimeSpan Elapsed)> _phases = [];

    /// <summary>What an operation awaits when that is no pending task, per method table (one instance shared by every operation).</summary>
    private readonly Dictionary<ulong, AwaitTarget> _awaitTargets = [];

    private long _phaseStarted;

    public DumpAnalyzer(HeapCensusOptions options, TargetInfo? processInfo, DateTimeOffset capturedAt, CancellationToken cancellationToken)
    {
        _options = options;
        _target = processInfo;
        _capturedAt = capturedAt;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Gets how long each phase of the last analysis took, in order (for the benchmark).</summary>
    public IReadOnlyList<(string Phase, TimeSpan Elapsed)> Phases => _phases;

    /// <summary>Reads the dump and builds the census.</summary>
    /// <param name="dumpPath">The dump.</param>
    /// <returns>The census.</returns>
    public CensusSnapshot Analyze(string dumpPath)
    {
        DataTarget target;
        _phaseStarted = _options.TimeProvider.GetTimestamp();
        try
        {
            // The memory-mapped reader reads the dump with no lock and no stream seek per read: the census reads
            // millions of small fields, and through the default stream reader each one costs a system call.
            target = DataTarget.LoadDump(dumpPath, new DataTargetOptions { UseLockFreeMemoryMapReader = true });
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or NotSupportedException or BadImageFormatException or InvalidOperationException or ArgumentException)
        {
            throw new HeapCensusException(HeapCensusError.CorruptDump, $"'{dumpPath}' is not a readable dump: {ex.Message}", ex);
        }

        EndPhase("load");
        using (target)
        {
            ClrInfo clr = target.ClrVersions.FirstOrDefault()
                ?? throw new HeapCensusException(HeapCensusError.NotDotNet, $"The dump '{dumpPath}' holds no .NET runtime.");
            (ClrRuntime runtime, string version) = CreateRuntime(clr);
            EndPhase("runtime");
            using (runtime)
            {
                return Build(target, runtime, version);
            }
        }
    }

    /// <summary>Creates the runtime of a dump with the data access library installed beside its <c>libcoreclr</c>.</summary>
    /// <param name="clr">The dump's runtime.</param>
    /// <returns>The runtime and its version.</returns>
    internal static (ClrRuntime Runtime, string Version) CreateRuntime(ClrInfo clr)
    {
        // On Linux ClrMD cannot tell the runtime's version from the dump (it reads 0.0) and so finds no data access
        // library: the one installed beside the target's libcoreclr matches it, so it is loaded with ignoreMismatch.
        string? runtimeDirectory = Path.GetDirectoryName(clr.ModuleInfo.FileName);
        string? dac = null;
        if (!string.IsNullOrEmpty(runtimeDirectory))
        {
            foreach (string name in new[] { "libmscordaccore.so", "mscordaccore.dll", "libmscordaccore.dylib" })
            {
                string candidate = Path.Combine(runtimeDirectory, name);
                if (File.Exists(candidate))
                {
                    dac = candidate;
                    break;
                }
            }
        }

        string version = clr.Version is { Major: > 0 } v ? v.ToString() : Path.GetFileName(runtimeDirectory) ?? "unknown";
        try
        {
            ClrRuntime runtime = dac is not null ? clr.CreateRuntime(dac, ignoreMismatch: true) : clr.CreateRuntime();
            return (runtime, version);
        }
        catch (Exception ex) when (ex is ClrDiagnosticsException or FileNotFoundException or DllNotFoundException or InvalidOperationException or BadImageFormatException or IOException)
        {
            throw new HeapCensusException(
                HeapCensusError.Unsupported,
                $"The runtime of the dump (.NET {version}, {clr.Flavor}) cannot be read here: its data access library {(dac is null ? $"was not found beside '{clr.ModuleInfo.FileName}'" : $"'{dac}' failed to load")}. {ex.Message}",
                ex);
        }
    }

    private CensusSnapshot Build(DataTarget target, ClrRuntime runtime, string version)
    {
        ClrHeap heap = runtime.Heap;
        if (!heap.CanWalkHeap)
        {
            _warnings.Add("The dump was written while the GC was moving objects: the heap walk may miss or misread some tasks.");
        }

        var reader = new HeapReader(heap, target.DataReader);
        EndPhase("heap");
        List<HeapNode> pending = FindPendingTasks(heap, target.DataReader, reader);
        EndPhase("walk");
        if (!reader.HasTaskFields)
        {
            _warnings.Add("The runtime's Task fields (m_stateFlags, m_continuationObject) were not found: this runtime is not supported, and no task is reported.");
        }

        List<HeapNode> abandoned = [];
        if (_options.DetectAbandoned && pending.Count > 0)
        {
            HeapMarks reachable = MarkReachable(runtime, heap, reader);
            abandoned = pending.FindAll(n => !reachable.Contains(n.Address) && n.Shape.Box is not null);
            pending.RemoveAll(n => !reachable.Contains(n.Address)); // Unreachable tasks that are no methods are plain garbage.
            EndPhase("reachability");
        }
        else if (!_options.DetectAbandoned)
        {
            _warnings.Add("Abandoned async methods were not separated (DetectAbandoned is off): operations may include unreachable tasks the GC has not collected yet.");
        }

        _warnings.Add("A heap dump records no start times: every age is zero.");
        using var pdbs = new PdbAwaitLines();
        bool listOperations = _options.IncludeOperations;

        // A groups-only census needs no index by address, no links and no awaited object per operation: only each
        // group's first operation says what it awaits and gets its stack (once the groups are known).
        Dictionary<ulong, HeapNode>? byAddress = listOperations ? IndexByAddress(pending) : null;
        Describe(pending, reader, pdbs, byAddress);
        EndPhase("describe");
        if (byAddress is not null)
        {
            Link(pending, byAddress, reader);
            EndPhase("link");
            foreach (HeapNode node in pending)
            {
                node.Awaiting = AwaitingOf(node, byAddress, reader);
                if (_options.IncludeAsyncStacks)
                {
                    node.Stack = StackOf(node);
                }
            }
        }

        EndPhase("stacks");
        List<AbandonedOperation> abandonedOperations = DescribeAbandoned(abandoned, reader, pdbs);
        foreach (string module in _withoutPdb)
        {
            _warnings.Add($"No portable PDB was found for {module}: its await sites show the method and await state, not the line.");
        }

        EndPhase("abandoned");
        pending.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        EndPhase("sort");
        IReadOnlyList<CensusGroup> groups = HeapGrouping.ByAwaitSite(pending, listOperations ? null : firsts => DescribeFirsts(firsts, pending, reader, pdbs));
        EndPhase("groups");
        IReadOnlyList<CensusChainGroup> chains = listOperations && _options.IncludeAsyncStacks ? HeapGrouping.ByChain(pending) : [];
        EndPhase("chains");
        List<PendingOperation> operations = listOperations ? pending.ConvertAll(ToOperation) : [];
        var snapshot = new CensusSnapshot
        {
            Process = ProcessInfoOf(target, version),
            CapturedAt = _capturedAt,
            Source = SourceName,
            Warnings = [.. _warnings],
            Groups = groups,
            Chains = chains,
            Operations = operations,
            Abandoned = abandonedOperations,
        };
        EndPhase("operations");
        return snapshot;
    }

    private void EndPhase(string phase)
    {
        long now = _options.TimeProvider.GetTimestamp();
        _phases.Add((phase, _options.TimeProvider.GetElapsedTime(_phaseStarted, now)));
        _phaseStarted = now;
    }

    // Runs once per census over every heap object or operation: compiled optimized at once, not through tiering.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<HeapNode> FindPendingTasks(ClrHeap heap, IMemoryReader memory, HeapReader reader)
    {
        var pending = new List<HeapNode>();
        int walked = 0;
        var walker = new HeapWalker(heap, memory);
        foreach ((ulong address, ClrType type) in walker.EnumerateObjects())
        {
            if (++walked % CancellationStride == 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
            }

            if (reader.TaskShapeOf(type) is { } shape && reader.HasTaskFields && reader.IsPending(address))
            {
                pending.Add(new HeapNode(address, shape));
            }
        }

        if (walker.StoppedSegments > 0)
        {
            _warnings.Add($"The heap walk stopped early in {walker.StoppedSegments} GC segment(s) at an object of unknown type or size (the dump was written mid-allocation or the heap is corrupt): tasks past that point are not reported.");
        }

        return pending;
    }

    private CensusProcessInfo ProcessInfoOf(DataTarget target, string version) => new()
    {
        ProcessId = _target?.ProcessId ?? (int)target.DataReader.ProcessId,
        ProcessName = _target?.ProcessName ?? string.Empty,
        Runtime = ".NET " + version,
        OperatingSystem = _target is not null ? RuntimeInformation.OSDescription : target.DataReader.TargetPlatform.ToString(),
        ProcessorCount = Environment.ProcessorCount,
    };

    private static PendingOperation ToOperation(HeapNode node) => new()
    {
        Id = node.Id,
        Kind = node.Kind,
        Description = node.Description,
        AwaitSite = node.Site,
        Awaiting = node.Awaiting,
        IsRunning = node.IsRunning,
        AsyncStack = node.Stack,
        AwaitedById = node.Parent?.Id,
        Age = TimeSpan.Zero,
    };
}
