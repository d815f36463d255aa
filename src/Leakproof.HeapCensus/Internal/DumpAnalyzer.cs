using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Leakproof.Census;
using Microsoft.Diagnostics.Runtime;

namespace Leakproof.HeapCensus.Internal;

/// <summary>
/// Builds a census from a heap dump: finds every unfinished task in the heap, keeps those reachable from the GC
/// roots (the unreachable suspended async methods are abandoned), links each task to the task awaiting it through
/// its continuation, resolves each await state to a source line and groups the result like the in-process census.
/// </summary>
internal sealed class DumpAnalyzer
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

    private static (ClrRuntime Runtime, string Version) CreateRuntime(ClrInfo clr)
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
        List<HeapNode> pending = FindPendingTasks(heap, reader);
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
        else
        {
            _warnings.Add("Abandoned async methods were not separated (DetectAbandoned is off): operations may include unreachable tasks the GC has not collected yet.");
        }

        _warnings.Add("A heap dump records no start times: every age is zero.");
        using var pdbs = new PdbAwaitLines();
        Dictionary<ulong, HeapNode> byAddress = Describe(pending, reader, pdbs);
        EndPhase("describe");
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

        EndPhase("stacks");
        List<AbandonedOperation> abandonedOperations = DescribeAbandoned(abandoned, reader, pdbs);
        foreach (string module in _withoutPdb)
        {
            _warnings.Add($"No portable PDB was found for {module}: its await sites show the method and await state, not the line.");
        }

        EndPhase("abandoned");
        pending.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        EndPhase("sort");
        IReadOnlyList<CensusGroup> groups = HeapGrouping.ByAwaitSite(pending);
        EndPhase("groups");
        IReadOnlyList<CensusChainGroup> chains = _options.IncludeAsyncStacks ? HeapGrouping.ByChain(pending) : [];
        EndPhase("chains");
        List<PendingOperation> operations = pending.ConvertAll(ToOperation);
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

    private List<HeapNode> FindPendingTasks(ClrHeap heap, HeapReader reader)
    {
        var pending = new List<HeapNode>();
        int walked = 0;
        foreach (ClrObject obj in heap.EnumerateObjects())
        {
            if (++walked % CancellationStride == 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
            }

            if (obj.Type is not { } type)
            {
                continue;
            }

            HeapTypeShape shape = reader.ShapeOf(type);
            if (shape.Role == HeapTypeRole.Task && reader.HasTaskFields && reader.IsPending(obj.Address))
            {
                pending.Add(new HeapNode(obj.Address, shape));
            }
        }

        return pending;
    }

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

    private Dictionary<ulong, HeapNode> Describe(List<HeapNode> nodes, HeapReader reader, PdbAwaitLines pdbs)
    {
        var byAddress = new Dictionary<ulong, HeapNode>(nodes.Count);
        foreach (HeapNode node in nodes)
        {
            byAddress[node.Address] = node;
        }

        long synthetic = SyntheticIdBase;
        foreach (HeapNode node in nodes)
        {
            int id = reader.ReadTaskId(node.Address);
            node.Id = id != 0 ? id : synthetic++;
            node.Kind = node.Shape.Kind;
            node.Description = node.Shape.Description;
            if (node.Shape.Box is { } box)
            {
                if (reader.ReadMachine(node.Address, box) is { } machine)
                {
                    node.State = reader.ReadState(machine);
                    node.Site = SiteOf(machine.Layout, node.State, pdbs);
                    node.Description = node.Site.Method;
                    if (node.State >= 0)
                    {
                        node.Awaited = reader.ReadAwaited(machine, byAddress);
                    }
                }
                else
                {
                    node.Description = "async method (its state machine is already cleared)";
                }
            }
            else if (node.Shape.IsPlainTask && reader.HasAction(node.Address))
            {
                node.Kind = PendingOperationKind.TaskRun;
                node.Description = "Task.Run";
            }
        }

        return byAddress;
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
