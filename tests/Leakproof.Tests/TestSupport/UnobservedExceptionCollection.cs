namespace Leakproof.Tests.TestSupport;

/// <summary>Tests that watch process-wide unobserved exceptions run alone, so no other test's garbage is blamed.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UnobservedExceptionCollection
{
    public const string Name = "Unobserved task exceptions";
}
