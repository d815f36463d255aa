using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leakproof.Analyzers.Rules;

/// <summary>LEAK2005 fix: pass the cancellation token in scope to the wait.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WaitWithoutCancellationCodeFix))]
[Shared]
public sealed class WaitWithoutCancellationCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.WaitWithoutCancellation);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        Diagnostic diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.TryGetValue(WaitWithoutCancellationAnalyzer.TokenNameProperty, out string? token) || token is null)
        {
            return;
        }

        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create($"Pass '{token}'", ct => PassTokenAsync(context.Document, root, invocation, token, ct), RuleIds.WaitWithoutCancellation),
            diagnostic);
    }

    private static Task<Document> PassTokenAsync(Document document, SyntaxNode root, InvocationExpressionSyntax invocation, string token, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        InvocationExpressionSyntax updated = invocation.WithArgumentList(
            invocation.ArgumentList.AddArguments(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(token))));
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(invocation, updated)));
    }
}
