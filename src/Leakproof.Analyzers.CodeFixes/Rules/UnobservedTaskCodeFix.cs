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

/// <summary>LEAK1001 fix, inside an async function: <c>_ = FooAsync();</c> becomes <c>await FooAsync();</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnobservedTaskCodeFix))]
[Shared]
public sealed class UnobservedTaskCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UnobservedTask);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        Diagnostic diagnostic = context.Diagnostics[0];
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        ExpressionSyntax? value = node as ExpressionSyntax;
        while (value?.Parent is InvocationExpressionSyntax or MemberAccessExpressionSyntax)
        {
            value = (ExpressionSyntax)value.Parent; // include a trailing .ConfigureAwait(...)
        }

        if (value?.Parent is not AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } discard
            || discard.Parent is not ExpressionStatementSyntax statement
            || !IsInAsyncFunction(statement))
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create("Await the task", ct => AwaitAsync(context.Document, root, statement, value, ct), RuleIds.UnobservedTask),
            diagnostic);
    }

    private static bool IsInAsyncFunction(SyntaxNode node)
    {
        foreach (SyntaxNode ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword != default;
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static Task<Document> AwaitAsync(Document document, SyntaxNode root, ExpressionStatementSyntax statement, ExpressionSyntax value, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        ExpressionStatementSyntax awaited = statement.WithExpression(
            SyntaxFactory.AwaitExpression(value.WithoutTrivia()).WithTriviaFrom(statement.Expression));
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(statement, awaited)));
    }
}
