using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Leakproof.Analyzers.Tests.Corpus;
using Microsoft.CodeAnalysis;

namespace Leakproof.Analyzers.Tests.Docs;

public sealed class RuleDocsTests
{
    [Fact]
    public void HelpLink_EveryDescriptor_ResolvesToADocFile()
    {
        foreach (DiagnosticDescriptor descriptor in RuleIndex.AllDescriptors())
        {
            Assert.Equal(RuleHelpUri.DocsBase + descriptor.Id + ".md", descriptor.HelpLinkUri);
            Assert.True(File.Exists(Path.Combine(RuleIndex.RulesDirectory, descriptor.Id + ".md")), $"docs/rules/{descriptor.Id}.md is missing");
        }
    }

    [Fact]
    public void DocPage_EveryRule_FollowsTheTemplate()
    {
        foreach (DiagnosticDescriptor descriptor in RuleIndex.AllDescriptors())
        {
            string page = File.ReadAllText(Path.Combine(RuleIndex.RulesDirectory, descriptor.Id + ".md"));
            Assert.StartsWith($"# {descriptor.Id}: {descriptor.Title}", page, StringComparison.Ordinal);
            foreach (string heading in new[] { "## Why", "## Non-compliant code", "## Compliant code", "## How to fix", "## Configuration", "## When to suppress" })
            {
                Assert.True(page.Contains(heading, StringComparison.Ordinal), $"{descriptor.Id}.md lacks '{heading}'");
            }

            bool fixable = RuleIndex.FixableIds().Contains(descriptor.Id);
            Assert.True(page.Contains($"| Code fix | {(fixable ? "yes" : "no")} |", StringComparison.Ordinal), $"{descriptor.Id}.md states the wrong code-fix availability");
        }
    }

    [Fact]
    public void RuleIds_AreInTheirCategoryBlock()
    {
        foreach (DiagnosticDescriptor descriptor in RuleIndex.AllDescriptors())
        {
            char block = descriptor.Id[4];
            string expected = block switch
            {
                '1' => RuleCategories.Leaks,
                '2' => RuleCategories.Cancellation,
                '3' => RuleCategories.ScopeMisuse,
                '4' => RuleCategories.Performance,
                _ => "reserved",
            };
            Assert.Equal(expected, descriptor.Category);
            Assert.Matches("^LEAK[1-4][0-9]{3}$", descriptor.Id);
        }
    }

    // Set LEAKPROOF_UPDATE_DOCS=1 to rewrite docs/rules/README.md instead of failing.
    [Fact]
    public async Task RulesIndex_Regenerated_ChangesNothing()
    {
        string path = Path.Combine(RuleIndex.RulesDirectory, "README.md");
        string current = File.ReadAllText(path).ReplaceLineEndings("\n");
        CorpusScore score = await CorpusScorer.RunAsync(TestContext.Current.CancellationToken);
        string regenerated = RuleIndex.Regenerate(current, score);
        if (Environment.GetEnvironmentVariable("LEAKPROOF_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, regenerated);
        }

        Assert.Equal(regenerated, current);
    }

    [Fact]
    public void ReleaseTracking_ListsEveryRule()
    {
        string unshipped = File.ReadAllText(Path.Combine(RuleIndex.RepositoryRoot, "src", "Leakproof.Analyzers", "AnalyzerReleases.Unshipped.md"));
        string shipped = File.ReadAllText(Path.Combine(RuleIndex.RepositoryRoot, "src", "Leakproof.Analyzers", "AnalyzerReleases.Shipped.md"));
        Assert.All(RuleIndex.AllDescriptors(), d => Assert.True(
            (unshipped + shipped).Split('\n').Any(l => l.StartsWith(d.Id + " ", StringComparison.Ordinal)), d.Id));
    }
}
