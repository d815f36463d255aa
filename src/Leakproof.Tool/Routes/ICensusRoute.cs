using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;

namespace Leakproof.Tool.Routes;

/// <summary>One way of taking a census of another process (the agent over EventPipe, or a heap dump).</summary>
internal interface ICensusRoute
{
    /// <summary>Gets the route's name as the <c>--route</c> option spells it.</summary>
    string Name { get; }

    /// <summary>Takes a census of <paramref name="processId"/>.</summary>
    /// <exception cref="Cli.ToolException">The census could not be taken (the exit code says why).</exception>
    /// <exception cref="AgentNotPresentException">The route needs the agent and the target did not answer.</exception>
    Task<CensusSnapshot> CaptureAsync(int processId, CancellationToken cancellationToken);
}
