using System;

namespace Leakproof.Tests.TestSupport;

/// <summary>A failure type no library code throws, so tests can tell real failures apart.</summary>
internal sealed class Boom : Exception
{
    public Boom(string message)
        : base(message)
    {
    }

    public Boom()
    {
    }

    public Boom(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
