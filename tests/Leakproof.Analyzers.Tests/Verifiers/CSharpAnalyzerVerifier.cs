using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Leakproof.Analyzers.Tests.Verifiers;

// Runs one analyzer over a source with <c>[|…|]</c> / <c>{|LEAKnnnn:…|}</c> markup and checks the diagnostics.
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task VerifyAnalyzerAsync(string source)
    {
        var test = new Test { TestCode = TestReferences.Usings + source };
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.None;
            TestState.AdditionalReferences.AddRange(TestReferences.All);
        }
    }
}
