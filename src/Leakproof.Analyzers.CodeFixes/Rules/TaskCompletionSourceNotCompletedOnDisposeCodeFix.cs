using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK1008 fix: add <c>_field.TrySetCanceled();</c> at the end (before a trailing <c>return</c>) of the type's dispose method(s): <c>Dispose(bool)</c>
/// when it exists, else every <c>Dispose</c>/<c>DisposeAsync</c>/<c>DisposeAsyncCore</c> declared in the document.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TaskCompletionSourceNotCompletedOnDisposeCodeFix))]
[Shared]
public sealed class TaskCompletionSourceNotCompletedOnDisposeCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.TaskCompletionSourceNotCompletedOnDispose);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixDocumentAsync);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        Diagnostic diagnostic = context.Diagnostics[0];
        if (FindField(root, model, diagnostic, context.CancellationToken) is not { } field)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                $"Cancel '{field.Symbol.Name}' on dispose",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(AddCompletions(root, model, new[] { field }, context.CancellationToken))),
                RuleIds.TaskCompletionSourceNotCompletedOnDispose),
            diagnostic);
    }

    /// <summary>Fixes every field of a document in one pass, so several fields of one type share one rewritten dispose method.</summary>
    private static async Task<Document?> FixDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var fields = diagnostics
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d => FindField(root, model, d, context.CancellationToken))
            .OfType<FieldTarget>()
            .ToList();
        return fields.Count == 0 ? document : document.WithSyntaxRoot(AddCompletions(root, model, fields, context.CancellationToken));
    }

    private static FieldTarget? FindField(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is VariableDeclaratorSyntax declarator
            && model.GetDeclaredSymbol(declarator, cancellationToken) is IFieldSymbol field
            && declarator.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type
                ? new FieldTarget(field, type)
                : null;

    private static SyntaxNode AddCompletions(SyntaxNode root, SemanticModel model, IReadOnlyList<FieldTarget> fields, CancellationToken cancellationToken)
    {
        var statements = new Dictionary<MethodDeclarationSyntax, List<StatementSyntax>>();
        foreach (FieldTarget field in fields)
        {
            foreach (MethodDeclarationSyntax target in FindTargets(field.Type, model, cancellationToken))
            {
                if (!statements.TryGetValue(target, out List<StatementSyntax>? list))
                {
                    statements[target] = list = new List<StatementSyntax>();
                }

                list.Add(CancelStatement(field.Symbol));
            }
        }

        return root.ReplaceNodes(statements.Keys, (original, _) => AddStatements(original, statements[original]));
    }

    private static List<MethodDeclarationSyntax> FindTargets(TypeDeclarationSyntax type, SemanticModel model, CancellationToken cancellationToken)
    {
        var methods = type.Members.OfType<MethodDeclarationSyntax>()
            .Where(m => (m.Body is not null || m.ExpressionBody is not null)
                && model.GetDeclaredSymbol(m, cancellationToken) is { } symbol
                && TaskCompletionSourceNotCompletedOnDisposeAnalyzer.IsDisposeMethod(symbol))
            .ToList();
        var withFlag = methods.Where(m => m.ParameterList.Parameters.Count == 1).ToList();
        return withFlag.Count > 0 ? withFlag : methods;
    }

    private static StatementSyntax CancelStatement(IFieldSymbol field)
    {
        string access = field.Type.NullableAnnotation == NullableAnnotation.Annotated ? "?." : ".";
        return SyntaxFactory.ParseStatement($"{field.Name}{access}TrySetCanceled();")
            .WithTrailingTrivia(SyntaxFactory.ElasticLineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static MethodDeclarationSyntax AddStatements(MethodDeclarationSyntax method, List<StatementSyntax> cancels)
    {
        if (method.Body is { } body)
        {
            // After the existing work, before a trailing return.
            int index = body.Statements.LastOrDefault() is ReturnStatementSyntax ? body.Statements.Count - 1 : body.Statements.Count;
            return method.WithBody(body.WithStatements(body.Statements.InsertRange(index, cancels)));
        }

        ExpressionSyntax expression = method.ExpressionBody!.Expression;
        StatementSyntax last = method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
            ? SyntaxFactory.ExpressionStatement(expression)
            : SyntaxFactory.ReturnStatement(expression);
        return method
            .WithExpressionBody(null)
            .WithSemicolonToken(default)
            .WithBody(SyntaxFactory.Block(cancels.Append(last)))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private sealed class FieldTarget
    {
        public FieldTarget(IFieldSymbol symbol, TypeDeclarationSyntax type)
        {
            Symbol = symbol;
            Type = type;
        }

        public IFieldSymbol Symbol { get; }

        public TypeDeclarationSyntax Type { get; }
    }
}
