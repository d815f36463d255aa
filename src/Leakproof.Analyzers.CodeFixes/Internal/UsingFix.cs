using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Leakproof.Analyzers.Internal;

/// <summary>Turns a local declaration into a <c>using</c> declaration, or a dropped disposable into <c>using var name = …;</c>.</summary>
internal static class UsingFix
{
    /// <summary>
    /// Gets a Fix All that applies the fixes of a document one after another, in source order, so each new local
    /// name sees the ones added before it (a batch fix would give two locals the same name).
    /// </summary>
    public static FixAllProvider SequentialFixAll { get; } = FixAllProvider.Create(FixDocumentAsync);

    /// <summary>Registers the <c>using</c> fix for the context's first diagnostic, when its node can take one.</summary>
    /// <param name="context">The code fix context.</param>
    /// <param name="title">The fix's title.</param>
    /// <param name="ruleId">The rule the fix belongs to (the fix's equivalence key).</param>
    /// <param name="newLocalName">The name of a local introduced for a dropped disposable.</param>
    /// <returns>A task that completes once the fix is registered or found not to apply.</returns>
    public static async Task RegisterAsync(CodeFixContext context, string title, string ruleId, string newLocalName)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        Diagnostic diagnostic = context.Diagnostics[0];
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (TryCreate(context.Document, root, node, title, ruleId, newLocalName) is { } action)
        {
            context.RegisterCodeFix(action, diagnostic);
        }
    }

    /// <summary>Returns the action that adds <c>using</c> for the disposable created at <paramref name="node"/>, or null when none applies.</summary>
    public static CodeAction? TryCreate(Document document, SyntaxNode root, SyntaxNode node, string title, string equivalenceKey, string newLocalName)
    {
        if (node.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is { } declaration
            && declaration.Declaration.Variables.Count == 1
            && declaration.Declaration.Variables[0].Initializer?.Value.Span.Contains(node.Span) == true
            && declaration.UsingKeyword == default
            && declaration.Parent is BlockSyntax)
        {
            return CodeAction.Create(title, ct => AddUsingAsync(document, root, declaration, ct), equivalenceKey);
        }

        if (node is ExpressionSyntax expression)
        {
            ExpressionSyntax value = expression;
            SyntaxNode? parent = expression.Parent;
            if (parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } discard && discard.Right == expression)
            {
                parent = discard.Parent;
            }

            if (parent is ExpressionStatementSyntax statement && statement.Parent is BlockSyntax)
            {
                return CodeAction.Create(title, ct => ReplaceWithUsingAsync(document, root, statement, value, newLocalName, ct), equivalenceKey);
            }
        }

        return null;
    }

    private static async Task<Document?> FixDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var targets = diagnostics
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d => (Node: root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true), Annotation: new SyntaxAnnotation(), Id: d.Id))
            .ToList();
        var byNode = targets.ToDictionary(t => t.Node, t => t.Annotation);
        document = document.WithSyntaxRoot(root.ReplaceNodes(byNode.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(byNode[original])));

        foreach (var target in targets)
        {
            root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            SyntaxNode? node = root?.GetAnnotatedNodes(target.Annotation).FirstOrDefault();
            if (root is null || node is null)
            {
                continue;
            }

            string name = target.Id == RuleIds.UndisposedCancellationTokenRegistration ? "registration" : "cts";
            CodeAction? action = TryCreate(document, root, node, string.Empty, target.Id, name);
            if (action is null)
            {
                continue;
            }

            foreach (CodeActionOperation operation in await action.GetOperationsAsync(context.CancellationToken).ConfigureAwait(false))
            {
                if (operation is ApplyChangesOperation apply && apply.ChangedSolution.GetDocument(document.Id) is { } changed)
                {
                    document = changed;
                }
            }
        }

        return document;
    }

    private static Task<Document> AddUsingAsync(Document document, SyntaxNode root, LocalDeclarationStatementSyntax declaration, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        LocalDeclarationStatementSyntax updated = declaration
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
            .WithLeadingTrivia(declaration.GetLeadingTrivia())
            .WithDeclaration(declaration.Declaration.WithoutLeadingTrivia());
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(declaration, updated)));
    }

    private static async Task<Document> ReplaceWithUsingAsync(
        Document document, SyntaxNode root, ExpressionStatementSyntax statement, ExpressionSyntax value, string newLocalName, CancellationToken cancellationToken)
    {
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        string name = newLocalName;
        if (model is not null)
        {
            int suffix = 1;
            while (model.LookupSymbols(statement.SpanStart, name: name).Any())
            {
                name = newLocalName + suffix++;
            }
        }

        LocalDeclarationStatementSyntax declaration = SyntaxFactory.LocalDeclarationStatement(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName("var"),
                    SyntaxFactory.SingletonSeparatedList(
                        SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name))
                            .WithInitializer(SyntaxFactory.EqualsValueClause(value.WithoutTrivia())))))
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword))
            .WithTriviaFrom(statement)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return document.WithSyntaxRoot(root.ReplaceNode(statement, declaration));
    }
}
