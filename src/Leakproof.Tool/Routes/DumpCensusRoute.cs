using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.HeapCensus;
using Leakproof.Tool.Cli;

namespace Leakproof.Tool.Routes;

/// <summary>
/// The heap-dump route (no code change in the target): a heap dump analysed with ClrMD by <see cref="HeapCensus.HeapCensus"/>.
/// The dump file is always removed.
/// </summary>
internal sealed class DumpCensusRoute : ICensusRoute
{
    /// <summary>Gets or sets where the dump is written (the system's temp folder when <see langword="null"/>).</summary>
    public string? DumpDirectory { get; init; }

    /// <summary>Gets how much the census lists: <c>groups</c> (the groups only) or <c>all</c> (every operation with its async stack).</summary>
    public string Detail { get; init; } = "all";

    public string Name => "dump";

    public async Task<CensusSnapshot> CaptureAsync(int processId, CancellationToken cancellationToken)
    {
        try
        {
            HeapCensusResult result = await HeapCensus.HeapCensus.CaptureAsync(processId, new HeapCensusOptions { DumpDirectory = DumpDirectory, IncludeOperations = Detail != "groups" }, cancellationToken).ConfigureAwait(false);
            return result.Snapshot;
        }
        catch (HeapCensusException ex)
        {
            throw new ToolException(ExitCodeOf(ex.Error), ex.Message, ex);
        }
    }

    /// <summary>Maps a heap-census failure to the tool's exit code.</summary>
    /// <param name="error">The failure.</param>
    /// <returns>The exit code.</returns>
    internal static int ExitCodeOf(HeapCensusError error) => error switch
    {
        HeapCensusError.Unsupported => ExitCodes.Unsupported,
        HeapCensusError.CorruptDump => ExitCodes.InternalError,
        _ => ExitCodes.CannotAttach, // Not found, not .NET, no permission, exited, no disk for the dump: the target could not be inspected.
    };
}
