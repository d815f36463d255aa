using System.Linq;
using System.Threading.Tasks;

namespace Leakproof.Analyzers.Tests.Corpus;

public sealed class CorpusTests
{
    [Fact]
    public async Task Corpus_Compiles()
    {
        CorpusScore score = await CorpusScorer.RunAsync(TestContext.Current.CancellationToken);

        Assert.Empty(score.CompileErrors);
    }

    [Fact]
    public async Task Corpus_EveryRule_CatchesAtLeastNinetyPercentOfLeakyCases()
    {
        CorpusScore score = await CorpusScorer.RunAsync(TestContext.Current.CancellationToken);

        Assert.All(score.Rules, r => Assert.True(r.LeakyCases >= 3, $"{r.RuleId} has only {r.LeakyCases} leaky cases"));
        Assert.True(score.Rules.All(r => r.Recall >= 0.9), "Missed: " + string.Join("; ", score.Misses));
    }

    [Fact]
    public async Task Corpus_FixedCode_HasNoDiagnostics()
    {
        CorpusScore score = await CorpusScorer.RunAsync(TestContext.Current.CancellationToken);

        Assert.Empty(score.FalsePositives);
    }
}
