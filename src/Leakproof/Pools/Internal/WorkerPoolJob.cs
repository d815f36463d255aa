using System.Threading;
using System.Threading.Tasks;

namespace Leakproof.Pools.Internal;

/// <summary>
/// One job of a worker pool: its input, the caller's token, its place in the pool's lists, and (as the task
/// completion source itself) the task handed to the caller.
/// </summary>
/// <typeparam name="TJob">The job's input type.</typeparam>
/// <typeparam name="TResult">The job's result type.</typeparam>
internal sealed class WorkerPoolJob<TJob, TResult> : TaskCompletionSource<TResult>
{
    public WorkerPoolJob(WorkerPool<TJob, TResult> pool, TJob job, CancellationToken callerToken)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Pool = pool;
        Job = job;
        CallerToken = callerToken;
    }

    /// <summary>Gets the pool the job was submitted to.</summary>
    public WorkerPool<TJob, TResult> Pool { get; }

    /// <summary>Gets the job's input.</summary>
    public TJob Job { get; }

    /// <summary>Gets the caller's token: it removes the job while it waits and is linked into its token once it runs.</summary>
    public CancellationToken CallerToken { get; }

    /// <summary>Gets or sets the previous job in the queue or waiting list (guarded by the pool's lock).</summary>
    public WorkerPoolJob<TJob, TResult>? Previous { get; set; }

    /// <summary>Gets or sets the next job in the queue or waiting list (guarded by the pool's lock).</summary>
    public WorkerPoolJob<TJob, TResult>? Next { get; set; }

    /// <summary>Gets or sets where the job is (guarded by the pool's lock).</summary>
    public WorkerPoolJobState State { get; set; }

    /// <summary>Gets or sets the registration on <see cref="CallerToken"/>; set before the job is submitted, disposed when it ends.</summary>
    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>Gets or sets the signal an <c>EnqueueAsync</c> caller waits on while the job waits for room.</summary>
    public TaskCompletionSource? Admitted { get; set; }
}
