using System;
using System.IO;
using System.Linq;

namespace Leakproof.Tests.Docs;

/// <summary>The README's code comes from compiled files in src/Snippets; these tests fail when the copies drift.</summary>
public sealed class ReadmeSnippetTests
{
    [Theory]
    [InlineData("README.md", "src/Snippets/QuickStart.cs", "quick-start")]
    [InlineData("README.md", "src/Snippets/LeakGuardUsage.cs", "leakguard")]
    public void Readme_Snippet_MatchesCompiledSource(string document, string source, string snippet)
    {
        string root = RepositoryRoot();
        string code = ExtractSnippet(File.ReadAllText(Path.Combine(root, source)), snippet);
        string markdown = File.ReadAllText(Path.Combine(root, document)).ReplaceLineEndings("\n");

        Assert.Contains("```csharp\n" + code + "```", markdown, StringComparison.Ordinal);
    }

    private static string ExtractSnippet(string text, string name)
    {
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        int start = Array.FindIndex(lines, l => l.Trim() == "// begin-snippet: " + name);
        int end = Array.FindIndex(lines, start + 1, l => l.Trim() == "// end-snippet");
        Assert.True(start >= 0 && end > start, $"snippet '{name}' not found");
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
