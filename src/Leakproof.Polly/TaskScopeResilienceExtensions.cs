using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Polly;

namespace Leakproof;

/// <summary>
/// Provides extensions that run a <see cref="TaskScope"/> child through a Polly <see cref="ResiliencePipeline"/>.
/// </summary>
/// <remarks>
/// The child is still the scope's: the pipeline runs with the scope's token, so cancelling or failing the scope stops
/// retries, delays, hedged attempts and timeouts, and the scope waits for whatever the pipeline left running. Retry,
/// backoff, jitter, per-attempt timeouts and hedging are Polly's. Build the pipeline with the scope's clock
/// (<see cref="CreateResiliencePipelineBuilder(TaskScope)"/>) so that a fake clock drives both.
/// </remarks>
public static class TaskScopeResilienceExtensions
{
    /// <summary>
    /// Starts a child that runs <paramref name="work"/> through <paramref name="pipeline"/> with the scope's token.
    /// </summary>
    /// <param name="scope">The scope that owns the child.</param>
    /// <param name="pipeline">The resilience pipeline (retry, timeout, hedging ...).</param>
    /// <param name="work">One attempt; it receives the attempt's token, which the scope's token cancels.</param>
    /// <param name="name">An optional name for the child; it is also the pipeline's operation key.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the spawning member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the spawning source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the spawning line.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/>, <paramref name="pipeline"/> or <paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished.</exception>
    /// <remarks>When every attempt fails, the pipeline's final exception is the child's failure, reported by the scope.</remarks>
    public static void SpawnResilient(
        this TaskScope scope,
        ResiliencePipeline pipeline,
        Func<CancellationToken, ValueTask> work,
        string? name = null,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(work);
        scope.Spawn(ct => ExecuteAsync(pipeline, work, name, ct), name, callerMemberName, callerFilePath, callerLineNumber);
    }

    /// <summary>
    /// Starts a child that runs <paramref name="work"/> through <paramref name="pipeline"/> with the scope's token,
    /// and returns its result.
    /// </summary>
    /// <typeparam name="TResult">The child's result type.</typeparam>
    /// <param name="scope">The scope that owns the child.</param>
    /// <param name="pipeline">The resilience pipeline (retry, timeout, hedging ...).</param>
    /// <param name="work">One attempt; it receives the attempt's token, which the scope's token cancels.</param>
    /// <param name="name">An optional name for the child; it is also the pipeline's operation key.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the spawning member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the spawning source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the spawning line.</param>
    /// <returns>A task with the result of the attempt the pipeline accepted. Its failure is also reported by the scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/>, <paramref name="pipeline"/> or <paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished.</exception>
    public static Task<TResult> SpawnResilient<TResult>(
        this TaskScope scope,
        ResiliencePipeline pipeline,
        Func<CancellationToken, ValueTask<TResult>> work,
        string? name = null,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(work);
        return scope.Spawn(ct => ExecuteAsync(pipeline, work, name, ct), name, callerMemberName, callerFilePath, callerLineNumber);
    }

    /// <summary>
    /// Starts a child that runs <paramref name="work"/> through a typed <paramref name="pipeline"/> (for example
    /// hedging, or retry on a result) with the scope's token, and returns its result.
    /// </summary>
    /// <typeparam name="TResult">The child's result type.</typeparam>
    /// <param name="scope">The scope that owns the child.</param>
    /// <param name="pipeline">The typed resilience pipeline.</param>
    /// <param name="work">One attempt; it receives the attempt's token, which the scope's token cancels. Hedged
    /// attempts each get their own token, cancelled when another attempt wins.</param>
    /// <param name="name">An optional name for the child; it is also the pipeline's operation key.</param>
    /// <param name="callerMemberName">Filled in by the compiler: the spawning member.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the spawning source file.</param>
    /// <param name="callerLineNumber">Filled in by the compiler: the spawning line.</param>
    /// <returns>A task with the result the pipeline accepted. Its failure is also reported by the scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/>, <paramref name="pipeline"/> or <paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The scope has finished.</exception>
    public static Task<TResult> SpawnResilient<TResult>(
        this TaskScope scope,
        ResiliencePipeline<TResult> pipeline,
        Func<CancellationToken, ValueTask<TResult>> work,
        string? name = null,
        [CallerMemberName] string callerMemberName = "",
        [CallerFilePath] string callerFilePath = "",
        [CallerLineNumber] int callerLineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(work);
        return scope.Spawn(ct => ExecuteAsync(pipeline, work, name, ct), name, callerMemberName, callerFilePath, callerLineNumber);
    }

    /// <summary>
    /// Creates a pipeline builder that uses the scope's clock and name, so that retries, delays and timeouts follow
    /// the same (possibly fake) time as the scope.
    /// </summary>
    /// <param name="scope">The scope whose clock and name the pipeline uses.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/> is <see langword="null"/>.</exception>
    public static ResiliencePipelineBuilder CreateResiliencePipelineBuilder(this TaskScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return new ResiliencePipelineBuilder { Name = scope.Name, TimeProvider = scope.TimeProvider };
    }

    /// <summary>
    /// Creates a typed pipeline builder that uses the scope's clock and name.
    /// </summary>
    /// <typeparam name="TResult">The result type the pipeline handles.</typeparam>
    /// <param name="scope">The scope whose clock and name the pipeline uses.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/> is <see langword="null"/>.</exception>
    public static ResiliencePipelineBuilder<TResult> CreateResiliencePipelineBuilder<TResult>(this TaskScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return new ResiliencePipelineBuilder<TResult> { Name = scope.Name, TimeProvider = scope.TimeProvider };
    }

    private static async ValueTask ExecuteAsync(ResiliencePipeline pipeline, Func<CancellationToken, ValueTask> work, string? name, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(name, cancellationToken);
        try
        {
            // Each attempt takes its token from its own context: hedging gives every attempt a separate one.
            await pipeline.ExecuteAsync(static (ctx, w) => w(ctx.CancellationToken), context, work).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static async ValueTask<TResult> ExecuteAsync<TResult>(ResiliencePipeline pipeline, Func<CancellationToken, ValueTask<TResult>> work, string? name, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(name, cancellationToken);
        try
        {
            return await pipeline.ExecuteAsync(static (ctx, w) => w(ctx.CancellationToken), context, work).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static async ValueTask<TResult> ExecuteAsync<TResult>(ResiliencePipeline<TResult> pipeline, Func<CancellationToken, ValueTask<TResult>> work, string? name, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(name, cancellationToken);
        try
        {
            return await pipeline.ExecuteAsync(static (ctx, w) => w(ctx.CancellationToken), context, work).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
