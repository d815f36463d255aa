namespace Leakproof.Census.Tests.Support;

/// <summary>
/// Tests that take the process-wide census and assert on a shared await site or on what a forced collection reveals
/// run one at a time: a group's site and awaited target come from its oldest member, and another test's operations
/// at the same site (or its collections) would otherwise change what this test sees.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCensusCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Process-wide census";
}
