using Leakproof;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Polly;

namespace Snippets.Docs;

/// <summary>docs/loops-and-pools.md.</summary>
internal static class LoopsAndPoolsUsage
{
    // begin-snippet: background-loop
    public sealed class Meter
    {
        // Creating the loop starts nothing: no timer, no thread, nothing for a leak checker to find.
        private static readonly BackgroundLoop s_flush = new(FlushAsync, new() { Name = "meter-flush", Period = TimeSpan.FromSeconds(5) });
        private static long s_count;

        public static void Mark(long n)
        {
            s_flush.EnsureStarted(); // first real use starts it (idempotent, thread-safe)
            Interlocked.Add(ref s_count, n);
        }

        public static Task StopAsync(CancellationToken ct) => s_flush.StopAsync(ct);

        private static ValueTask FlushAsync(CancellationToken ct) => MetricsSink.WriteAsync("marks", Interlocked.Exchange(ref s_count, 0), ct);
    }

    // end-snippet

    public static async Task MapThumbnailsAsync(WebApplication app, ThumbnailRenderer renderer)
    {
        // begin-snippet: worker-pool
        await using var thumbnails = new WorkerPool<Uri, Thumbnail>(
            (uri, ct) => renderer.RenderAsync(uri, ct),
            new() { Name = "thumbnails", WorkerCount = 4, QueueCapacity = 64, FullMode = WorkerPoolFullMode.Reject });

        app.MapPost("/thumbnail", async (Uri uri, CancellationToken ct) =>
        {
            try
            {
                return Results.Ok(await thumbnails.RunAsync(uri, ct));
            }
            catch (WorkerPoolFullException)
            {
                return Results.StatusCode(StatusCodes.Status429TooManyRequests);
            }
        });
        // end-snippet
        await app.RunAsync();
    }

    public static async Task PollyAsync(PriceService prices, string sku)
    {
        // begin-snippet: polly
        await TaskScope.RunAsync(async (scope, ct) =>
        {
            ResiliencePipeline pipeline = scope.CreateResiliencePipelineBuilder()
                .AddRetry(new() { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential })
                .AddTimeout(TimeSpan.FromSeconds(2))
                .Build();
            Task<Price> price = scope.SpawnResilient(pipeline, token => prices.GetAsync(sku, token), name: "price");
            Render(await price);
        });
        // end-snippet
    }

    private static void Render(Price price) => Console.WriteLine(price);

    internal static class MetricsSink
    {
        public static ValueTask WriteAsync(string name, long value, CancellationToken cancellationToken) =>
            cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled(cancellationToken) : ValueTask.CompletedTask;
    }

    internal sealed record Thumbnail(byte[] Png);

    internal sealed record Price(decimal Amount);

    internal abstract class ThumbnailRenderer
    {
        public abstract ValueTask<Thumbnail> RenderAsync(Uri uri, CancellationToken cancellationToken);
    }

    internal abstract class PriceService
    {
        public abstract ValueTask<Price> GetAsync(string sku, CancellationToken cancellationToken);
    }
}
