using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.HeapCensus.Internal;

namespace Leakproof.HeapCensus;

/// <summary>
/// Takes a census of the pending async work of another .NET process with no code change in it: the runtime writes
/// a heap dump through its diagnostics port (the target pauses meanwhile), ClrMD reads the dump, and the dump is
/// deleted before the census is returned.
/// </summary>
public static class HeapCensus
{
    /// <summary>Dumps the heap of a running .NET process and takes a census of its pending async work.</summary>
    /// <param name="processId">The target's process id (on this machine).</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the capture; the dump file is deleted in every case.</param>
    /// <returns>The census and what it cost.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processId"/> is zero or negative.</exception>
    /// <exception cref="HeapCensusException">The census could not be taken; <see cref="HeapCensusException.Error"/> says why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<HeapCensusResult> CaptureAsync(int processId, HeapCensusOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        options ??= new HeapCensusOptions();
        cancellationToken.ThrowIfCancellationRequested();
        TargetProcess target = TargetProcess.Open(processId, options);
        string path = target.CreateDumpPath();
        try
        {
            DateTimeOffset capturedAt = options.TimeProvider.GetUtcNow();
            TimeSpan pause = await target.WriteDumpAsync(path, cancellationToken).ConfigureAwait(false);
            options.AfterDump?.Invoke(path);
            cancellationToken.ThrowIfCancellationRequested();
            long bytes = new FileInfo(path).Length;
            long started = options.TimeProvider.GetTimestamp();
            var analyzer = new DumpAnalyzer(options, target.Info, capturedAt, cancellationToken);
            var snapshot = analyzer.Analyze(path);
            return new HeapCensusResult
            {
                Snapshot = snapshot,
                TargetPause = pause,
                Analysis = options.TimeProvider.GetElapsedTime(started),
                DumpBytes = bytes,
            };
        }
        finally
        {
            DumpFiles.Delete(path);
        }
    }

    /// <summary>Takes a census of the pending async work recorded in an existing heap dump (the file is kept).</summary>
    /// <param name="dumpPath">The dump, written with heap memory (<c>dotnet-dump collect --type Heap</c> or <c>Full</c>).</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the analysis.</param>
    /// <returns>The census; <see cref="HeapCensusResult.TargetPause"/> is zero.</returns>
    /// <exception cref="ArgumentException"><paramref name="dumpPath"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The dump does not exist.</exception>
    /// <exception cref="HeapCensusException">The dump cannot be analyzed; <see cref="HeapCensusException.Error"/> says why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static Task<HeapCensusResult> AnalyzeDumpAsync(string dumpPath, HeapCensusOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dumpPath);
        if (!File.Exists(dumpPath))
        {
            throw new FileNotFoundException($"The dump '{dumpPath}' does not exist.", dumpPath);
        }

        options ??= new HeapCensusOptions();
        HeapCensusOptions chosen = options;
        return Task.Run(
            () =>
            {
                long started = chosen.TimeProvider.GetTimestamp();
                var analyzer = new DumpAnalyzer(chosen, processInfo: null, capturedAt: chosen.TimeProvider.GetUtcNow(), cancellationToken);
                var snapshot = analyzer.Analyze(dumpPath);
                return new HeapCensusResult
                {
                    Snapshot = snapshot,
                    Analysis = chosen.TimeProvider.GetElapsedTime(started),
                    DumpBytes = new FileInfo(dumpPath).Length,
                };
            },
            cancellationToken);
    }
}
