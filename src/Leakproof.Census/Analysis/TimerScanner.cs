using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;

namespace Leakproof.Census.Analysis;

/// <summary>
/// Lists the process's active <see cref="Timer"/>s by walking the runtime's private timer queues
/// (<c>TimerQueue.Instances</c>, <c>_shortTimers</c>/<c>_longTimers</c>, <c>TimerQueueTimer._next</c>) under each queue's
/// own lock. Timers capture the execution context they were created in, so their owner can be read. Fails soft:
/// <see cref="Current"/> is <see langword="null"/> when a field is missing.
/// </summary>
internal sealed class TimerScanner
{
    /// <summary>The binding flags for private members.</summary>
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;

    /// <summary>The static <c>TimerQueue.Instances</c> property.</summary>
    private readonly PropertyInfo _instances;

    /// <summary>The queue's <c>SharedLock</c> property.</summary>
    private readonly PropertyInfo _lock;

    /// <summary>The queue's list heads.</summary>
    private readonly FieldInfo[] _heads;

    /// <summary>The timer's <c>_next</c>.</summary>
    private readonly FieldInfo _next;

    /// <summary>The timer's <c>_timerCallback</c>.</summary>
    private readonly FieldInfo _callback;

    /// <summary>The timer's <c>_executionContext</c>.</summary>
    private readonly FieldInfo _context;

    /// <summary>The timer's <c>_period</c> (<see cref="uint.MaxValue"/> for none).</summary>
    private readonly FieldInfo _period;

    /// <summary>The timer's <c>_canceled</c>.</summary>
    private readonly FieldInfo _canceled;

    private TimerScanner(PropertyInfo instances, PropertyInfo sharedLock, FieldInfo[] heads, FieldInfo next, FieldInfo callback, FieldInfo context, FieldInfo period, FieldInfo canceled)
    {
        _instances = instances;
        _lock = sharedLock;
        _heads = heads;
        _next = next;
        _callback = callback;
        _context = context;
        _period = period;
        _canceled = canceled;
    }

    /// <summary>Gets the scanner for this runtime, or <see langword="null"/> when its timer internals differ.</summary>
    public static TimerScanner? Current { get; } = Create();

    /// <summary>Lists the active timers that captured an execution context (timers of <c>Task.Delay</c> do not).</summary>
    /// <returns>Each timer object, its callback, period and context.</returns>
    public List<(object Timer, Delegate? Callback, TimeSpan? Period, ExecutionContext Context)> Scan()
    {
        var timers = new List<(object, Delegate?, TimeSpan?, ExecutionContext)>();
        if (_instances.GetValue(null) is not object[] queues)
        {
            return timers;
        }

        foreach (object queue in queues)
        {
            if (_lock.GetValue(queue) is not Lock queueLock)
            {
                continue;
            }

            lock (queueLock)
            {
                foreach (FieldInfo head in _heads)
                {
                    for (object? timer = head.GetValue(queue); timer is not null; timer = _next.GetValue(timer))
                    {
                        if (_canceled.GetValue(timer) is true || _context.GetValue(timer) is not ExecutionContext context)
                        {
                            continue;
                        }

                        TimeSpan? period = _period.GetValue(timer) is uint p && p != uint.MaxValue ? TimeSpan.FromMilliseconds(p) : null;
                        timers.Add((timer, _callback.GetValue(timer) as Delegate, period, context));
                    }
                }
            }
        }

        return timers;
    }

    /// <summary>Describes a timer's callback as <c>Type.Method</c>.</summary>
    /// <param name="callback">The callback.</param>
    /// <returns>The description.</returns>
    public static string Describe(Delegate? callback) =>
        callback is null ? "unknown callback"
        : (callback.Method.DeclaringType is { } type ? StateMachineNames.TypeName(type) + "." : string.Empty) + StateMachineNames.MemberName(callback.Method.Name);

    private static TimerScanner? Create()
    {
        Type? queue = typeof(Timer).Assembly.GetType("System.Threading.TimerQueue");
        Type? timer = typeof(Timer).Assembly.GetType("System.Threading.TimerQueueTimer");
        if (queue is null || timer is null)
        {
            return null;
        }

        PropertyInfo? instances = queue.GetProperty("Instances", Private);
        PropertyInfo? sharedLock = queue.GetProperty("SharedLock", Private);
        FieldInfo? shortTimers = queue.GetField("_shortTimers", Private);
        FieldInfo? longTimers = queue.GetField("_longTimers", Private);
        FieldInfo? next = timer.GetField("_next", Private);
        FieldInfo? callback = timer.GetField("_timerCallback", Private);
        FieldInfo? context = timer.GetField("_executionContext", Private);
        FieldInfo? period = timer.GetField("_period", Private);
        FieldInfo? canceled = timer.GetField("_canceled", Private);
        return instances is null || sharedLock?.PropertyType != typeof(Lock) || shortTimers is null || longTimers is null
            || next is null || callback is null || context is null || period is null || canceled is null
            ? null
            : new TimerScanner(instances, sharedLock, [shortTimers, longTimers], next, callback, context, period, canceled);
    }
}
