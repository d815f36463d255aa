using System;

namespace Leakproof;

/// <summary>
/// Represents the error thrown when a worker pool in <see cref="WorkerPoolFullMode.Reject"/> mode refuses a job
/// because every worker is busy and its queue is full.
/// </summary>
public sealed class WorkerPoolFullException : Exception
{
    /// <summary>
    /// Initializes a new instance of the <see cref="WorkerPoolFullException"/> class.
    /// </summary>
    public WorkerPoolFullException()
        : base("The worker pool refused the job: its queue is full and every worker is busy.")
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="WorkerPoolFullException"/> class with a message.
    /// </summary>
    /// <param name="message">The message.</param>
    public WorkerPoolFullException(string message)
        : base(message)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="WorkerPoolFullException"/> class with a message and a cause.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public WorkerPoolFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="WorkerPoolFullException"/> class for a named pool.
    /// </summary>
    /// <param name="poolName">The pool's name.</param>
    /// <param name="queueCapacity">The pool's queue capacity.</param>
    internal WorkerPoolFullException(string poolName, int queueCapacity)
        : base($"The worker pool '{poolName}' refused the job: its queue of {queueCapacity} jobs is full and every worker is busy.")
    {
        PoolName = poolName;
    }

    /// <summary>Gets the name of the pool that refused the job, when known.</summary>
    public string? PoolName { get; }
}
