using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Leakproof.Analyzers.Rules;

/// <summary>LEAK2004 fix: start each pass of the loop with <c>token.ThrowIfCancellationRequested();</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LoopIgnoresCancellationCodeFix))]
[Shared]
public sealed class LoopIgnoresCancellationCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.LoopIgnoresCancellation);

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
        StatementSyntax? loop = root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<StatementSyntax>();
        StatementSyntax? body = loop switch
        {
            WhileStatementSyntax w => w.Statement,
            ForStatementSyntax f => f.Statement,
            DoStatementSyntax d => d.Statement,
            _ => null,
        };
        if (root is null || loop is null || body is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                $"Check '{token}' on every pass",
                ct => AddCheckAsync(context.Document, root, body, token, ct),
                RuleIds.LoopIgnoresCancellation),
            diagnostic);
    }

    private static Task<Document> AddCheckAsync(Document document, SyntaxNode root, StatementSyntax body, string token, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        StatementSyntax check = SyntaxFactory.ParseStatement(token + ".ThrowIfCancellationRequested();")
            .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
            .WithTrailingTrivia(SyntaxFactory.ElasticLineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation);
        BlockSyntax block = body is BlockSyntax existing
            ? existing.WithStatements(existing.Statements.Insert(0, check))
            : SyntaxFactory.Block(check, body).WithAdditionalAnnotations(Formatter.Annotation);
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(body, block)));
    }
}
