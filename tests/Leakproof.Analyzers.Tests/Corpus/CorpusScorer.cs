using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Leakproof.Analyzers.Tests.Corpus;

/// <summary>
/// Compiles the labelled corpus (tests/Leakproof.Analyzers.Corpus) with every Leakproof analyzer and scores it:
/// a leaky case is a line marked <c>// LEAK: LEAKnnnn</c> in a <c>Leaky.cs</c>, caught when that rule reports on that
/// line; any Leakproof diagnostic in a <c>Fixed.cs</c> is a false positive.
/// </summary>
internal static partial class CorpusScorer
{
    private const string GlobalUsings =
        "global using System; global using System.Collections.Generic; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;";

    public static string CorpusDirectory => Path.Combine(AppContext.BaseDirectory, "Corpus");

    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers { get; } = typeof(Descriptors).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static async Task<CorpusScore> RunAsync(CancellationToken cancellationToken)
    {
        var files = Directory.GetFiles(CorpusDirectory, "*.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList();
        var trees = files
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Latest), path: f, cancellationToken: cancellationToken))
            .Append(CSharpSyntaxTree.ParseText(GlobalUsings, new CSharpParseOptions(LanguageVersion.Latest), path: "GlobalUsings.cs", cancellationToken: cancellationToken))
            .ToList();
        var compilation = CSharpCompilation.Create(
            "LeakproofCorpus",
            trees,
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var withAnalyzers = compilation.WithAnalyzers(
            AllAnalyzers,
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        ImmutableArray<Diagnostic> diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken);

        var rules = new SortedDictionary<string, RuleScore>(StringComparer.Ordinal);
        var misses = new List<string>();
        var falsePositives = new List<string>();
        foreach (string file in files)
        {
            string rule = Path.GetFileName(Path.GetDirectoryName(file)!);
            RuleScore score = rules.TryGetValue(rule, out RuleScore? existing) ? existing : rules[rule] = new RuleScore(rule);
            bool leaky = Path.GetFileName(file) == "Leaky.cs";
            var reported = diagnostics.Where(d => d.Location.SourceTree?.FilePath == file).ToList();
            if (leaky)
            {
                string[] lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                {
                    Match marker = MarkerPattern().Match(lines[i]);
                    if (!marker.Success)
                    {
                        continue;
                    }

                    string id = marker.Groups[1].Value;
                    RuleScore target = rules.TryGetValue(id, out RuleScore? t) ? t : rules[id] = new RuleScore(id);
                    target.LeakyCases++;
                    if (reported.Any(d => d.Id == id && d.Location.GetLineSpan().StartLinePosition.Line == i))
                    {
                        target.Caught++;
                    }
                    else
                    {
                        misses.Add($"{Path.GetFileName(Path.GetDirectoryName(file))}/Leaky.cs:{i + 1} {id}");
                    }
                }
            }
            else
            {
                score.FixedFiles++;
                foreach (Diagnostic diagnostic in reported)
                {
                    RuleScore target = rules.TryGetValue(diagnostic.Id, out RuleScore? t) ? t : rules[diagnostic.Id] = new RuleScore(diagnostic.Id);
                    target.FixedFlagged++;
                    falsePositives.Add($"{rule}/Fixed.cs:{diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
                }
            }
        }

        return new CorpusScore(rules.Values.ToList(), misses, falsePositives, errors.Select(e => e.ToString()).ToList(), trees.Sum(t => t.GetText(cancellationToken).Lines.Count));
    }

    [GeneratedRegex(@"// LEAK: (LEAK\d{4})")]
    private static partial Regex MarkerPattern();
}
