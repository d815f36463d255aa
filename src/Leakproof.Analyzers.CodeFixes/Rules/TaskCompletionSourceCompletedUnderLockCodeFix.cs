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

/// <summary>LEAK1006 fix: create the source with <c>TaskCreationOptions.RunContinuationsAsynchronously</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TaskCompletionSourceCompletedUnderLockCodeFix))]
[Shared]
public sealed class TaskCompletionSourceCompletedUnderLockCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.TaskCompletionSourceCompletedUnderLock);

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
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not BaseObjectCreationExpressionSyntax creation)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                "Run continuations asynchronously",
                ct => AddOptionAsync(context.Document, root, creation, ct),
                RuleIds.TaskCompletionSourceCompletedUnderLock),
            diagnostic);
    }

    private static async Task<Document> AddOptionAsync(Document document, SyntaxNode root, BaseObjectCreationExpressionSyntax creation, CancellationToken cancellationToken)
    {
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        ExpressionSyntax option = SyntaxFactory.ParseExpression("TaskCreationOptions.RunContinuationsAsynchronously");
        ArgumentListSyntax arguments = creation.ArgumentList ?? SyntaxFactory.ArgumentList();
        ArgumentListSyntax updated = arguments;
        for (int i = 0; i < arguments.Arguments.Count; i++)
        {
            ArgumentSyntax argument = arguments.Arguments[i];
            if (model?.GetTypeInfo(argument.Expression, cancellationToken).ConvertedType is { TypeKind: TypeKind.Enum })
            {
                ExpressionSyntax combined = SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, argument.Expression.WithoutTrivia(), option);
                updated = arguments.ReplaceNode(argument, argument.WithExpression(combined));
                break;
            }
        }

        if (updated == arguments)
        {
            updated = arguments.AddArguments(SyntaxFactory.Argument(option));
        }

        BaseObjectCreationExpressionSyntax replacement = creation.WithArgumentList(updated);
        return document.WithSyntaxRoot(root.ReplaceNode(creation, replacement));
    }
}
