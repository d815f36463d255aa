namespace Leakproof.Analyzers.Tests.Corpus;

/// <summary>One rule's corpus score: leaky cases and how many were caught, fixed files and diagnostics in them.</summary>
internal sealed class RuleScore(string ruleId)
{
    public string RuleId { get; } = ruleId;

    public int LeakyCases { get; set; }

    public int Caught { get; set; }

    public int FixedFiles { get; set; }

    public int FixedFlagged { get; set; }

    public double Recall => LeakyCases == 0 ? 1 : (double)Caught / LeakyCases;
}
