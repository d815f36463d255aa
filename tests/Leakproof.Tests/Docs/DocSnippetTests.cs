using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Leakproof.Tests.Docs;

/// <summary>
/// The C# in README.md and docs/ comes from compiled files in src/Snippets; these tests fail when a copy drifts or a
/// <c>csharp</c> block is not copied from there.
/// </summary>
public sealed class DocSnippetTests
{
    [Theory]
    [InlineData("README.md", "src/Snippets/QuickStart.cs", "quick-start")]
    [InlineData("README.md", "src/Snippets/LeakGuardUsage.cs", "leakguard")]
    [InlineData("docs/aspnetcore.md", "src/Snippets/Standalone/DiagnosticsEndpoint/Program.cs", "diagnostics-endpoint")]
    [InlineData("docs/census-measurements.md", "src/Snippets/Standalone/CensusMeasurements/Program.cs", "census-measurements")]
    [InlineData("docs/heap-census.md", "src/Snippets/Docs/HeapCensusUsage.cs", "heap-census")]
    [InlineData("docs/helpers.md", "src/Snippets/Docs/HelpersUsage.cs", "race")]
    [InlineData("docs/helpers.md", "src/Snippets/Docs/HelpersUsage.cs", "timeout")]
    [InlineData("docs/helpers.md", "src/Snippets/Docs/HelpersUsage.cs", "handoff")]
    [InlineData("docs/helpers.md", "src/Snippets/Docs/HelpersUsage.cs", "channel-pipeline")]
    [InlineData("docs/html-report.md", "src/Snippets/Docs/HtmlReportUsage.cs", "html-report")]
    [InlineData("docs/leakguard-adapters.md", "src/Snippets/Standalone/XunitV3Adapter/ExporterTests.cs", "xunitv3-adapter")]
    [InlineData("docs/leakguard-adapters.md", "src/Snippets/Standalone/NUnitAdapter/ExporterTests.cs", "nunit-adapter")]
    [InlineData("docs/leakguard-adapters.md", "src/Snippets/Standalone/MSTestAdapter/RunGuard.cs", "mstest-adapter")]
    [InlineData("docs/leakguard.md", "src/Snippets/Docs/LeakGuardTests.cs", "leakguard-test")]
    [InlineData("docs/leakguard.md", "src/Snippets/Docs/LeakGuardTests.cs", "leakguard-test-run")]
    [InlineData("docs/loops-and-pools.md", "src/Snippets/Docs/LoopsAndPoolsUsage.cs", "background-loop")]
    [InlineData("docs/loops-and-pools.md", "src/Snippets/Docs/LoopsAndPoolsUsage.cs", "worker-pool")]
    [InlineData("docs/loops-and-pools.md", "src/Snippets/Docs/LoopsAndPoolsUsage.cs", "polly")]
    [InlineData("docs/telemetry.md", "src/Snippets/Docs/TelemetryUsage.cs", "opentelemetry")]
    public void Snippet_MatchesCompiledSource(string document, string source, string snippet)
    {
        string root = RepositoryRoot();
        string code = ExtractSnippet(File.ReadAllText(Path.Combine(root, source)), snippet);
        string markdown = File.ReadAllText(Path.Combine(root, document)).ReplaceLineEndings("\n");

        Assert.Contains("```csharp\n" + code + "```", markdown, StringComparison.Ordinal);
    }

    /// <summary>Every <c>csharp</c> block of README.md and docs/*.md is the copy of a snippet listed above.</summary>
    [Fact]
    public void EveryCSharpBlock_IsCoveredByACompiledSnippet()
    {
        string root = RepositoryRoot();
        var covered = new HashSet<(string Document, string Code)>();
        foreach (object?[] row in SnippetRows())
        {
            string document = (string)row[0]!;
            string code = ExtractSnippet(File.ReadAllText(Path.Combine(root, (string)row[1]!)), (string)row[2]!);
            covered.Add((document, code));
        }

        IEnumerable<string> documents = Directory.GetFiles(Path.Combine(root, "docs"), "*.md")
            .Select(path => "docs/" + Path.GetFileName(path))
            .Prepend("README.md");
        var uncovered = new List<string>();
        int blocks = 0;
        foreach (string document in documents)
        {
            string markdown = File.ReadAllText(Path.Combine(root, document)).ReplaceLineEndings("\n");
            foreach ((int line, string code) in CSharpBlocks(markdown))
            {
                blocks++;
                if (!covered.Contains((document, code)))
                {
                    uncovered.Add($"{document}:{line}");
                }
            }
        }

        Assert.True(blocks >= SnippetRows().Count(), $"found only {blocks} csharp blocks: is the parser broken?");
        Assert.True(
            uncovered.Count == 0,
            "csharp blocks not copied from src/Snippets (add the code there between begin-snippet/end-snippet markers "
            + "and an InlineData row to " + nameof(Snippet_MatchesCompiledSource) + "): " + string.Join(", ", uncovered));
    }

    [Fact]
    public void CSharpBlocks_FindsEveryFenceIncludingIndentedOnes()
    {
        const string Markdown = "text\n```csharp\nint a;\n```\n- item\n  ```csharp\n  int b;\n  ```\n```bash\nls\n```\n";

        (int Line, string Code)[] blocks = CSharpBlocks(Markdown).ToArray();

        Assert.Equal([(2, "int a;\n"), (6, "int b;\n")], blocks);
    }

    private static IEnumerable<object?[]> SnippetRows() =>
        typeof(DocSnippetTests).GetMethod(nameof(Snippet_MatchesCompiledSource))!
            .GetCustomAttributes<InlineDataAttribute>()
            .Select(attribute => attribute.Data);

    /// <summary>The <c>csharp</c> fenced blocks of a markdown text: the fence's line (1-based) and the code, de-indented
    /// by the fence's indent, each line ending in a newline.</summary>
    private static IEnumerable<(int Line, string Code)> CSharpBlocks(string markdown)
    {
        string[] lines = markdown.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart() != "```csharp")
            {
                continue;
            }

            int indent = lines[i].Length - lines[i].TrimStart().Length;
            int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            Assert.True(end > i, $"unclosed csharp block at line {i + 1}");
            yield return (i + 1, string.Concat(lines[(i + 1)..end].Select(l => (l.Length >= indent ? l[indent..] : l.TrimStart()) + "\n")));
            i = end;
        }
    }

    private static string ExtractSnippet(string text, string name)
    {
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        int start = Array.FindIndex(lines, l => l.Trim() == "// begin-snippet: " + name);
        Assert.True(start >= 0, $"snippet '{name}' not found");
        int end = Array.FindIndex(lines, start + 1, l => l.Trim() == "// end-snippet");
        Assert.True(end > start, $"snippet '{name}' has no end-snippet line");
        string[] body = lines[(start + 1)..end];
        while (body.Length > 0 && body[^1].Trim().Length == 0)
        {
            body = body[..^1];
        }

        int indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Concat(body.Select(l => (l.Length >= indent ? l[indent..] : l.TrimStart()) + "\n"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Leakproof.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Leakproof.slnx not found above " + AppContext.BaseDirectory);
    }
}
