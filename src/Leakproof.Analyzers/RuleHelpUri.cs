namespace Leakproof.Analyzers;

/// <summary>Builds a rule's help link from its ID; a unit test checks that every link resolves to a doc file.</summary>
internal static class RuleHelpUri
{
    public const string DocsBase = "https://github.com/leakproof/leakproof/blob/main/docs/rules/";

    public static string For(string ruleId) => DocsBase + ruleId + ".md";
}
