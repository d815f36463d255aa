using System;

namespace Leakproof;

/// <summary>
/// Represents the options of a <see cref="TaskScope"/>.
/// </summary>
/// <remarks>
/// Options are read and validated once, when the scope is created; changing them afterwards has no effect on
/// scopes already created.
/// </remarks>
public sealed class TaskScopeOptions
{
    /// <summary>
    /// Gets or sets the scope's name, used in exception messages, the census, metrics and traces.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (the scope is reported as <c>unnamed</c>).</value>
    public string? Name { get; set; }

    /// <summary>
    /// Gets or sets what the scope does when a child fails.
    /// </summary>
    /// <value>The default value is <see cref="TaskScopeFailureMode.FailFast"/>.</value>
    public TaskScopeFailureMode FailureMode { get; set; } = TaskScopeFailureMode.FailFast;

    /// <summary>
    /// Gets or sets the largest number of children that may run at once.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no limit.</value>
    /// <remarks>
    /// A child's delegate never runs before it holds a slot. <see cref="TaskScope.SpawnAsync(Func{System.Threading.CancellationToken, System.Threading.Tasks.ValueTask}, string?, System.Threading.CancellationToken, string, string, int)"/>
    /// waits for a slot (back-pressure), <c>TrySpawn</c> returns <see langword="false"/> when none is free, and
    /// <c>Spawn</c> queues the child until one is.
    /// </remarks>
    public int? MaxConcurrency { get; set; }

    /// <summary>
    /// Gets or sets how long the scope may run before it cancels its children and ends in a <see cref="TimeoutException"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no deadline.</value>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Gets or sets the clock the scope uses for its deadline, child start times and durations.
    /// </summary>
    /// <value>The default value is <see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Throws if the options are invalid.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MaxConcurrency"/> is less than 1, or <see cref="Timeout"/> is not positive.</exception>
    /// <exception cref="ArgumentNullException"><see cref="TimeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="FailureMode"/> is not a defined value.</exception>
    public void Validate()
    {
        if (MaxConcurrency is int max && max < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxConcurrency),
                max,
                $"{nameof(TaskScopeOptions)}.{nameof(MaxConcurrency)} must be at least 1, or null for no limit.");
        }

        if (Timeout is TimeSpan timeout && (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan))
        {
            throw new ArgumentOutOfRangeException(
                nameof(Timeout),
                timeout,
                $"{nameof(TaskScopeOptions)}.{nameof(Timeout)} must be positive, Timeout.InfiniteTimeSpan, or null for no deadline.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), $"{nameof(TaskScopeOptions)}.{nameof(TimeProvider)} must not be null.");
        }

        if (FailureMode is not (TaskScopeFailureMode.FailFast or TaskScopeFailureMode.Supervise))
        {
            throw new ArgumentOutOfRangeException(
                nameof(FailureMode),
                FailureMode,
                $"{nameof(TaskScopeOptions)}.{nameof(FailureMode)} must be FailFast or Supervise.");
        }
    }
}
