using System;
using System.Threading.Tasks;

namespace Leakproof.Helpers.Internal;

/// <summary>Disposes results that nobody will receive: a race loser's, an abandoned handoff's, a late timeout's.</summary>
internal static class ResultDisposal
{
    /// <summary>Disposes <paramref name="value"/> if it is disposable, preferring <see cref="IAsyncDisposable"/>.</summary>
    /// <typeparam name="T">The value's static type.</typeparam>
    /// <param name="value">The orphaned value.</param>
    /// <returns>A task that completes when the value is disposed.</returns>
    public static ValueTask DisposeAsync<T>(T value)
    {
        if (value is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        if (value is IDisposable disposable)
        {
            disposable.Dispose();
        }

        return default;
    }

    /// <summary>
    /// Disposes an orphaned value and swallows a failure to do so: the value belongs to work that is not an error of
    /// the operation it was part of (a race loser, a caller that gave up), so its disposal cannot fail that operation.
    /// </summary>
    /// <typeparam name="T">The value's static type.</typeparam>
    /// <param name="value">The orphaned value.</param>
    /// <returns>A task that completes when the value is disposed.</returns>
    public static async ValueTask DisposeOrphanAsync<T>(T value)
    {
        if (value is not (IAsyncDisposable or IDisposable))
        {
            return;
        }

        try
        {
            await DisposeAsync(value).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Observed and dropped on purpose: see the summary.
        }
    }
}
