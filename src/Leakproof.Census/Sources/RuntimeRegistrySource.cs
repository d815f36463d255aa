using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census.Analysis;

namespace Leakproof.Census.Sources;

/// <summary>
/// Reads the runtime's registry of active tasks (<c>Task.s_currentActiveTasks</c>, filled while
/// <c>Task.s_asyncDebuggingEnabled</c> is set). Each capture moves the registry's entries into a table of weak
/// references: the registry's strong references would keep leaked work alive forever (a memory leak in production,
/// and no way to tell a parked method from an unreachable one).
/// </summary>
internal sealed class RuntimeRegistrySource : IPendingWorkSource
{
    /// <summary>The runtime fields that give access to the registry.</summary>
    private readonly RuntimeFields _fields;

    /// <summary>The clock for first-seen timestamps.</summary>
    private readonly TimeProvider _timeProvider;

    /// <summary>Serializes captures; guards <see cref="_tracked"/>.</summary>
    private readonly Lock _lock = new();

    /// <summary>Every task taken over from the registry and not yet seen completed or collected, by id.</summary>
    private readonly Dictionary<int, TrackedTask> _tracked = [];

    /// <summary>A sentinel per tracked task that reports it if it is collected while pending.</summary>
    private readonly ConditionalWeakTable<Task, AbandonSentinel> _sentinels = new();

    /// <summary>Tasks the sentinels found collected while pending, not yet taken by a capture.</summary>
    private readonly ConcurrentQueue<RawOperation> _abandoned = new();

    /// <summary>Scratch list for the registry's entries, reused between captures.</summary>
    private readonly List<Task> _moved = [];

    /// <summary>The last takeover sequence number handed out.</summary>
    private long _sequence;

    /// <summary>The largest takeover sequence number of a task found collected (read under <see cref="_lock"/> or racy).</summary>
    private long _lastCollectedSequence;

    /// <summary>Whether sentinels are attached.</summary>
    private volatile bool _trackAbandoned;

    public RuntimeRegistrySource(RuntimeFields fields, TimeProvider timeProvider)
    {
        if (!fields.HasRegistry)
        {
            throw new ArgumentException("The runtime's active-task registry was not found.", nameof(fields));
        }

        _fields = fields;
        _timeProvider = timeProvider;
        fields.AsyncDebuggingEnabled!.SetValue(null, true);
    }

    /// <inheritdoc/>
    public string Name => "runtime-registry";

    /// <summary>Gets the largest takeover sequence number of a tracked task found collected so far (0 when none).</summary>
    public long LastCollectedSequence => Interlocked.Read(ref _lastCollectedSequence);

    /// <inheritdoc/>
    public void Collect(List<RawOperation> operations, List<RawOperation> abandoned) => Collect(operations, abandoned, after: 0);

    /// <summary>Takes the registry's new tasks over without listing anything.</summary>
    /// <returns>The last takeover sequence number: every task pending now has this one or a smaller one.</returns>
    public long Mark()
    {
        lock (_lock)
        {
            AssertInvariants();
            TakeOver();
            return _sequence;
        }
    }

    /// <summary>Like <see cref="Collect(List{RawOperation}, List{RawOperation})"/>, but lists only the tasks taken over
    /// after <paramref name="after"/> (<see cref="Mark"/>'s answer); older ones are neither listed nor checked.</summary>
    /// <param name="operations">Receives the pending operations.</param>
    /// <param name="abandoned">Receives the abandoned operations.</param>
    /// <param name="after">The takeover sequence number after which tasks are listed; 0 for all.</param>
    public void Collect(List<RawOperation> operations, List<RawOperation> abandoned, long after)
    {
        lock (_lock)
        {
            AssertInvariants();
            TakeOver();
            List<int>? gone = null;
            foreach (TrackedTask tracked in _tracked.Values)
            {
                if (tracked.Sequence <= after)
                {
                    continue;
                }

                if (tracked.Target is not { } task)
                {
                    (gone ??= []).Add(tracked.Id); // Collected: its sentinel reports it if it was pending.
                    if (tracked.Sequence > _lastCollectedSequence)
                    {
                        Interlocked.Exchange(ref _lastCollectedSequence, tracked.Sequence);
                    }
                }
                else if (task.IsCompleted)
                {
                    (gone ??= []).Add(tracked.Id);
                    if (_sentinels.TryGetValue(task, out AbandonSentinel? sentinel))
                    {
                        _sentinels.Remove(task);
                        sentinel.Disarm();
                    }
                }
                else
                {
                    operations.Add(new RawOperation { Id = task.Id, Task = task, FirstSeen = tracked.FirstSeen, Tracking = tracked });
                }
            }

            if (gone is not null)
            {
                foreach (int id in gone)
                {
                    if (_tracked.Remove(id, out TrackedTask? released))
                    {
                        released.Release();
                    }
                }
            }

            while (_abandoned.TryDequeue(out RawOperation? operation))
            {
                abandoned.Add(operation);
            }
        }
    }

    /// <summary>Moves the registry's tasks into the weak table, each with the next takeover sequence number.</summary>
    private void TakeOver()
    {
        MoveFromRegistry();
        long now = _timeProvider.GetTimestamp();
        foreach (Task task in _moved)
        {
            if (!task.IsCompleted)
            {
                var tracked = new TrackedTask(task, now, _sequence + 1);
                if (_tracked.TryAdd(task.Id, tracked))
                {
                    _sequence++;
                    if (_trackAbandoned)
                    {
                        _sentinels.AddOrUpdate(task, new AbandonSentinel(tracked, task, _abandoned));
                    }
                }
                else
                {
                    tracked.Release();
                }
            }
        }

        _moved.Clear();
    }

    /// <inheritdoc/>
    public void TrackAbandoned() => _trackAbandoned = true;

    /// <inheritdoc/>
    public void Dispose()
    {
        // The flag stays set: tasks created meanwhile would otherwise be added and never removed.
        lock (_lock)
        {
            foreach (TrackedTask tracked in _tracked.Values)
            {
                tracked.Release();
            }

            _tracked.Clear();
        }
    }

    private void MoveFromRegistry()
    {
        Dictionary<int, Task>? registry = _fields.ReadActiveTasks();
        if (registry is null)
        {
            return; // The runtime creates the dictionary on the first tracked task.
        }

        // The runtime locks the dictionary itself around every add and remove; removing a task we took over is a
        // harmless miss for it. Copy under the lock, inspect outside it.
        lock (registry)
        {
            _moved.AddRange(registry.Values);
            registry.Clear();
        }
    }

    [System.Diagnostics.Conditional("DEBUG")]
    private void AssertInvariants()
    {
        System.Diagnostics.Debug.Assert(_lock.IsHeldByCurrentThread, "The tracked table is read under the source's lock.");
        System.Diagnostics.Debug.Assert(_moved.Count == 0, "The scratch list is empty between captures.");
    }
}
