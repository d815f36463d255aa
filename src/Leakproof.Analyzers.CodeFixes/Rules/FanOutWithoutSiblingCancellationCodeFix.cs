using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK2001 fix, for the simplest shape only: a statement <c>await Task.WhenAll(FooAsync(ct), BarAsync(ct));</c> whose
/// arguments are calls that all take the same token becomes a <c>TaskScope.RunAsync</c> that spawns each call with the
/// child's token. Offered only when the compilation references <c>Leakproof.TaskScope</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FanOutWithoutSiblingCancellationCodeFix))]
[Shared]
public sealed class FanOutWithoutSiblingCancellationCodeFix : CodeFixProvider
{
    private const string ChildToken = "t";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.FanOutWithoutSiblingCancellation);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || model.Compilation.GetTypeByMetadataName("Leakproof.TaskScope") is null)
        {
            return;
        }

        Diagnostic diagnostic = context.Diagnostics[0];
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax whenAll
            || whenAll.Parent is not AwaitExpressionSyntax { Parent: ExpressionStatementSyntax statement }
            || statement.Parent is not BlockSyntax
            || TryRewrite(whenAll, statement, model, context.CancellationToken) is not { } replacement)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                "Run in a TaskScope",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(statement, replacement))),
                RuleIds.FanOutWithoutSiblingCancellation),
            diagnostic);
    }

    /// <summary>Returns the TaskScope statement, or null when an argument is not a call taking the shared token.</summary>
    private static StatementSyntax? TryRewrite(InvocationExpressionSyntax whenAll, ExpressionStatementSyntax statement, SemanticModel model, CancellationToken cancellationToken)
    {
        if (whenAll.ArgumentList.Arguments.Count < 2
            || !model.LookupSymbols(statement.SpanStart).All(s => s.Name is not ("scope" or ChildToken)))
        {
            return null;
        }

        ExpressionSyntax? sharedToken = null;
        var children = new List<string>();
        foreach (ArgumentSyntax argument in whenAll.ArgumentList.Arguments)
        {
            if (argument.NameColon is not null || argument.Expression is not InvocationExpressionSyntax call
                || model.GetOperation(call, cancellationToken) is not Microsoft.CodeAnalysis.Operations.IInvocationOperation operation)
            {
                return null;
            }

            ArgumentSyntax? tokenArgument = null;
            foreach (ArgumentSyntax callArgument in call.ArgumentList.Arguments)
            {
                if (model.GetTypeInfo(callArgument.Expression, cancellationToken).ConvertedType?.ToDisplayString() == "System.Threading.CancellationToken")
                {
                    tokenArgument = callArgument;
                }
            }

            if (tokenArgument is null || operation.TargetMethod.Parameters.Count(p => p.Type.ToDisplayString() == "System.Threading.CancellationToken") != 1)
            {
                return null;
            }

            if (sharedToken is null)
            {
                sharedToken = tokenArgument.Expression;
            }
            else if (!SyntaxFactory.AreEquivalent(sharedToken, tokenArgument.Expression))
            {
                return null;
            }

            InvocationExpressionSyntax child = call.ReplaceNode(tokenArgument.Expression, SyntaxFactory.IdentifierName(ChildToken));
            children.Add(child.WithoutTrivia().ToString());
        }

        string indent = statement.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
        var text = new StringBuilder();
        text.Append("await TaskScope.RunAsync(\n");
        text.Append(indent).Append("    (scope, _) =>\n");
        text.Append(indent).Append("    {\n");
        foreach (string child in children)
        {
            text.Append(indent).Append("        scope.Spawn(").Append(ChildToken).Append(" => new ValueTask(").Append(child).Append("));\n");
        }

        text.Append(indent).Append("        return ValueTask.CompletedTask;\n");
        text.Append(indent).Append("    },\n");
        text.Append(indent).Append("    cancellationToken: ").Append(sharedToken!.WithoutTrivia().ToString()).Append(");");
        return SyntaxFactory.ParseStatement(text.ToString()).WithTriviaFrom(statement);
    }
}
