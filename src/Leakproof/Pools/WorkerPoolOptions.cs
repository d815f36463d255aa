using System;

namespace Leakproof;

/// <summary>
/// Represents the options of a <see cref="WorkerPool{TJob, TResult}"/>.
/// </summary>
/// <remarks>The pool copies and validates the options when it is constructed; later changes have no effect on it.</remarks>
public sealed class WorkerPoolOptions
{
    /// <summary>
    /// Gets or sets the pool's name, used in metrics, exceptions and the census (it names the pool's scope).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the pool is reported as <c>unnamed</c>.</value>
    public string? Name { get; set; }

    /// <summary>
    /// Gets or sets the number of workers, which is the most jobs that run at once.
    /// </summary>
    /// <value>The default value is <see cref="Environment.ProcessorCount"/>.</value>
    public int WorkerCount { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Gets or sets the most jobs that may wait for a worker. Jobs handed straight to an idle worker do not count.
    /// </summary>
    /// <value>The default value is 1024.</value>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>
    /// Gets or sets what happens to a job submitted while the queue is full.
    /// </summary>
    /// <value>The default value is <see cref="WorkerPoolFullMode.Wait"/>.</value>
    public WorkerPoolFullMode FullMode { get; set; } = WorkerPoolFullMode.Wait;

    /// <summary>
    /// Gets or sets the clock of the pool's scope, used for the ages and durations of its workers.
    /// </summary>
    /// <value>The default value is <see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Throws if the options are invalid.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="WorkerCount"/> or <see cref="QueueCapacity"/> is less
    /// than 1, or <see cref="FullMode"/> is not a defined value.</exception>
    /// <exception cref="ArgumentNullException"><see cref="TimeProvider"/> is <see langword="null"/>.</exception>
    public void Validate()
    {
        if (WorkerCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WorkerCount), WorkerCount, $"{nameof(WorkerPoolOptions)}.{nameof(WorkerCount)} must be at least 1.");
        }

        if (QueueCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, $"{nameof(WorkerPoolOptions)}.{nameof(QueueCapacity)} must be at least 1.");
        }

        if (FullMode is not (WorkerPoolFullMode.Wait or WorkerPoolFullMode.Reject))
        {
            throw new ArgumentOutOfRangeException(nameof(FullMode), FullMode, $"{nameof(WorkerPoolOptions)}.{nameof(FullMode)} must be Wait or Reject.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), $"{nameof(WorkerPoolOptions)}.{nameof(TimeProvider)} must not be null.");
        }
    }
}
