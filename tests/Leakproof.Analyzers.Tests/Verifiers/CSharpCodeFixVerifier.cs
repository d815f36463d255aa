using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Leakproof.Analyzers.Tests.Verifiers;

// Runs an analyzer and its fix; the testing library also applies Fix All (document, project, solution) whenever the
// source holds several diagnostics and checks it reaches the same fixed source.
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task VerifyAnalyzerAsync(string source) => CSharpAnalyzerVerifier<TAnalyzer>.VerifyAnalyzerAsync(source);

    public static Task VerifyCodeFixAsync(string source, string fixedSource)
    {
        var test = new Test
        {
            TestCode = TestReferences.Usings + source,
            FixedCode = TestReferences.Usings + fixedSource,
        };
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.None;
            TestState.AdditionalReferences.AddRange(TestReferences.All);
        }
    }
}
