using System;

namespace Leakproof.Tool.Routes;

/// <summary>The target did not acknowledge a census request: the agent is not running in it.</summary>
internal sealed class AgentNotPresentException : Exception
{
    public AgentNotPresentException()
    {
    }

    public AgentNotPresentException(string message)
        : base(message)
    {
    }

    public AgentNotPresentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
