using System.Collections.Generic;

namespace Leakproof.Analyzers.Tests.Corpus;

/// <summary>The scored corpus: per-rule scores, the missed cases and false positives by location, and compile errors.</summary>
internal sealed record CorpusScore(
    IReadOnlyList<RuleScore> Rules,
    IReadOnlyList<string> Misses,
    IReadOnlyList<string> FalsePositives,
    IReadOnlyList<string> CompileErrors,
    int Lines);
