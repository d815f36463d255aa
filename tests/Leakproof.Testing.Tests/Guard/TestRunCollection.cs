namespace Leakproof.Testing.Tests.Guard;

/// <summary>Runs the assembly-wide guard tests alone: they count every test's work.</summary>
[CollectionDefinition(nameof(TestRunCollection), DisableParallelization = true)]
public sealed class TestRunCollection;
