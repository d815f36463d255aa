using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Leakproof.Analyzers.Tests.Corpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Leakproof.Analyzers.Tests.Docs;

/// <summary>
/// Generates the parts of docs/rules/README.md that can drift: the rule table (from the descriptors and code fixes)
/// and the corpus table (from the scorer). Everything outside the markers is written by hand.
/// </summary>
internal static class RuleIndex
{
    public const string RulesStart = "<!-- rules:start -->";
    public const string RulesEnd = "<!-- rules:end -->";
    public const string CorpusStart = "<!-- corpus:start -->";
    public const string CorpusEnd = "<!-- corpus:end -->";

    public static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Leakproof.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Leakproof.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public static string RulesDirectory => Path.Combine(RepositoryRoot, "docs", "rules");

    public static IReadOnlyList<DiagnosticDescriptor> AllDescriptors() => CorpusScorer.AllAnalyzers
        .SelectMany(a => a.SupportedDiagnostics)
        .GroupBy(d => d.Id)
        .Select(g => g.First())
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToList();

    public static ISet<string> FixableIds() => typeof(Leakproof.Analyzers.Rules.UnobservedTaskCodeFix).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .SelectMany(t => ((CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds)
        .ToHashSet(StringComparer.Ordinal);

    public static string RulesTable()
    {
        ISet<string> fixable = FixableIds();
        var text = new StringBuilder();
        text.Append("| ID | Title | Category | Default severity | Code fix |\n");
        text.Append("|----|-------|----------|------------------|----------|\n");
        foreach (DiagnosticDescriptor descriptor in AllDescriptors())
        {
            text.Append($"| [{descriptor.Id}]({descriptor.Id}.md) | {descriptor.Title} | {descriptor.Category} | {descriptor.DefaultSeverity} | {(fixable.Contains(descriptor.Id) ? "yes" : "no")} |\n");
        }

        return text.ToString();
    }

    public static string CorpusTable(CorpusScore score)
    {
        var text = new StringBuilder();
        text.Append($"Corpus: {score.Rules.Sum(r => r.LeakyCases)} leaky cases and {score.Rules.Sum(r => r.FixedFiles)} fixed files, {score.Lines} lines (`tests/Leakproof.Analyzers.Corpus`).\n\n");
        text.Append("| Rule | Leaky cases | Caught | Recall | Diagnostics on fixed code |\n");
        text.Append("|------|-------------|--------|--------|---------------------------|\n");
        foreach (RuleScore rule in score.Rules)
        {
            text.Append($"| {rule.RuleId} | {rule.LeakyCases} | {rule.Caught} | {Percent(rule.Recall)} | {rule.FixedFlagged} |\n");
        }

        int cases = score.Rules.Sum(r => r.LeakyCases);
        int caught = score.Rules.Sum(r => r.Caught);
        text.Append($"| **all** | {cases} | {caught} | {Percent(cases == 0 ? 1 : (double)caught / cases)} | {score.Rules.Sum(r => r.FixedFlagged)} |\n");
        return text.ToString();
    }

    private static string Percent(double ratio) => ((int)Math.Round(ratio * 100)).ToString(System.Globalization.CultureInfo.InvariantCulture) + "%";

    public static string Regenerate(string current, CorpusScore score)
    {
        string updated = ReplaceBetween(current, RulesStart, RulesEnd, RulesTable());
        return ReplaceBetween(updated, CorpusStart, CorpusEnd, CorpusTable(score));
    }

    private static string ReplaceBetween(string text, string start, string end, string content)
    {
        int from = text.IndexOf(start, StringComparison.Ordinal);
        int to = text.IndexOf(end, StringComparison.Ordinal);
        if (from < 0 || to < from)
        {
            throw new InvalidOperationException($"docs/rules/README.md lacks the markers {start} … {end}.");
        }

        return text[..(from + start.Length)] + "\n" + content + text[to..];
    }
}
