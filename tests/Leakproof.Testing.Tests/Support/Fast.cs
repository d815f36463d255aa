namespace Leakproof.Testing.Tests.Support;

/// <summary>Options that judge at once: leak-shape tests are deterministic and never wait.</summary>
internal static class Fast
{
    public static LeakGuardOptions Options() => new() { MaxRetries = 0 };
}
