namespace Leakproof.Analyzers;

/// <summary>Diagnostic categories, one per block of rule IDs.</summary>
internal static class RuleCategories
{
    public const string Leaks = "Leakproof.Leaks";
    public const string Cancellation = "Leakproof.Cancellation";
    public const string ScopeMisuse = "Leakproof.ScopeMisuse";
    public const string Performance = "Leakproof.Performance";
}
