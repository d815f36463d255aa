using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Tool.Cli;

namespace Leakproof.Tool.Routes;

/// <summary>The heap-dump route (no code change in the target): the dump and ClrMD analysis are not in this build yet.</summary>
internal sealed class DumpCensusRoute : ICensusRoute
{
    public const string NotAvailable = "the heap-dump route is not available in this build of dotnet-leakproof";

    public string Name => "dump";

    public Task<CensusSnapshot> CaptureAsync(int processId, CancellationToken cancellationToken) =>
        throw new ToolException(ExitCodes.Unsupported, $"{NotAvailable}; start the agent in the target (LeakproofAgent.Start()) and use --route agent");
}
