using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Tool.Cli;
using Leakproof.Tool.Processes;

namespace Leakproof.Tool.Routes;

/// <summary>Chooses a route for <c>--route auto|agent|dump</c>.</summary>
internal sealed class CensusRoutes(ICensusRoute agent, ICensusRoute dump)
{
    public static CensusRoutes Default { get; } = new(new AgentCensusRoute(), new DumpCensusRoute());

    public ICensusRoute Agent { get; } = agent;

    public ICensusRoute Dump { get; } = dump;

    /// <summary>Takes a census by <paramref name="route"/>; <c>auto</c> uses the agent when it is present (or may be), else the dump.</summary>
    public async Task<(CensusSnapshot Snapshot, string Route)> CaptureAsync(DotnetProcess target, string route, CancellationToken cancellationToken)
    {
        switch (route)
        {
            case "agent":
                try
                {
                    return (await Agent.CaptureAsync(target.ProcessId, cancellationToken).ConfigureAwait(false), Agent.Name);
                }
                catch (AgentNotPresentException ex)
                {
                    throw new ToolException(ExitCodes.CannotAttach, ex.Message, ex);
                }

            case "dump":
                return (await Dump.CaptureAsync(target.ProcessId, cancellationToken).ConfigureAwait(false), Dump.Name);
            default:
                if (ProcessInspector.ProbeAgent(target.ProcessId) != AgentPresence.No)
                {
                    try
                    {
                        return (await Agent.CaptureAsync(target.ProcessId, cancellationToken).ConfigureAwait(false), Agent.Name);
                    }
                    catch (AgentNotPresentException)
                    {
                        // fall through to the dump
                    }
                }

                return (await Dump.CaptureAsync(target.ProcessId, cancellationToken).ConfigureAwait(false), Dump.Name);
        }
    }
}
