using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Leakproof.Analyzers.Rules;

/// <summary>LEAK1003 fix: dispose a local linked or timed source with <c>using</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UndisposedCancellationTokenSourceCodeFix))]
[Shared]
public sealed class UndisposedCancellationTokenSourceCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UndisposedCancellationTokenSource);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => UsingFix.SequentialFixAll;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context) =>
        UsingFix.RegisterAsync(context, "Dispose the source with 'using'", RuleIds.UndisposedCancellationTokenSource, "cts");
}
