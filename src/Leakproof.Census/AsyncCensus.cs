using System;
using System.Threading;
using Leakproof.Census.Sources;

namespace Leakproof.Census;

/// <summary>
/// Takes a census of the pending async work of this process: every suspended async method, timer, promise and
/// task scope child, grouped by await site. Enable it early: only operations created afterwards are seen.
/// </summary>
/// <remarks>
/// The primary source is the runtime's own registry of active tasks (the one debuggers use); when its private fields
/// are missing the census falls back to the runtime's task events and says so in <see cref="CensusSnapshot.Warnings"/>.
/// All members are thread-safe.
/// </remarks>
public static class AsyncCensus
{
    /// <summary>Guards the creation and widening of the engine.</summary>
    private static readonly Lock s_gate = new();

    /// <summary>The process-wide engine, once enabled.</summary>
    private static CensusEngine? s_engine;

    /// <summary>Gets a value indicating whether the census is tracking operations.</summary>
    public static bool IsEnabled => Volatile.Read(ref s_engine) is not null;

    /// <summary>Starts tracking operations created from now on, or widens what is tracked.</summary>
    /// <param name="options">What to track, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException">An option is <see langword="null"/>.</exception>
    public static void Enable(CensusOptions? options = null)
    {
        options ??= new CensusOptions();
        options.Validate();
        lock (s_gate)
        {
            if (s_engine is null)
            {
#pragma warning disable CA2000 // The process-wide engine lives as long as the process.
                Volatile.Write(ref s_engine, CensusEngine.CreateDefault(options));
#pragma warning restore CA2000
            }
            else
            {
                s_engine.Widen(options);
            }
        }
    }

    /// <summary>Takes a census of the operations pending now.</summary>
    /// <param name="options">How to capture, or <see langword="null"/> for the defaults.</param>
    /// <returns>The census.</returns>
    /// <exception cref="InvalidOperationException">The census was not enabled.</exception>
    public static CensusSnapshot Capture(CensusCaptureOptions? options = null)
    {
        CensusEngine engine = Volatile.Read(ref s_engine)
            ?? throw new InvalidOperationException($"The census is not enabled; call {nameof(AsyncCensus)}.{nameof(Enable)} first (only operations created afterwards are seen).");
        return engine.Capture(options ?? new CensusCaptureOptions());
    }

    /// <summary>Gets the engine, or <see langword="null"/> when the census is not enabled.</summary>
    internal static CensusEngine? Engine => Volatile.Read(ref s_engine);

    /// <summary>Gets the engine for the test checker, enabling it with <paramref name="options"/> first.</summary>
    /// <param name="options">What to track.</param>
    /// <returns>The engine.</returns>
    internal static CensusEngine GetEngine(CensusOptions options)
    {
        Enable(options);
        return Volatile.Read(ref s_engine)!;
    }
}
