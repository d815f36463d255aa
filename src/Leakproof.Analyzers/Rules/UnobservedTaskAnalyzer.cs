using System.Collections.Immutable;
using System.Threading;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK1001: a task that is discarded (<c>_ = FooAsync()</c>), started as a statement outside an async function
/// (<c>Task.Run(...);</c>, where CS4014 is silent), or chained with a <c>ContinueWith</c> whose result is dropped.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnobservedTaskAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnobservedTask);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.For(start.Compilation);
            if (known.Task is null)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeInvocation(c, known), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownSymbols known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (!known.IsTaskLike(method.ReturnType) || IsAlreadyOwnedOrComplete(method, known)
            || HandlesItsOwnFailures(method, context.CancellationToken))
        {
            return;
        }

        IOperation observed = invocation;

        // `_ = FooAsync().ConfigureAwait(false)` discards the awaitable wrapper: look through it.
        if (invocation.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance == invocation)
        {
            observed = configure;
        }

        if (!observed.IsDiscarded())
        {
            return;
        }

        IOperation? consumer = observed.GetConsumer(out _);
        bool isStatement = consumer is IExpressionStatementOperation;
        if (isStatement)
        {
            // In an async function the compiler already reports CS4014 for a dropped task.
            IMethodSymbol? function = invocation.GetEnclosingMethodSymbol(context.ContainingSymbol);
            if (function is null || function.IsAsync || !known.IsTask(method.ReturnType))
            {
                return;
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnobservedTask, invocation.Syntax.GetLocation(), method.Name));
    }

    /// <summary>
    /// An async method of this compilation whose whole body is a try with a catch-all (no filter) observes its own
    /// failures: discarding its task is the deliberate "forward and forget" shape.
    /// </summary>
    private static bool HandlesItsOwnFailures(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (!method.IsAsync || method.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        BlockSyntax? body = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) switch
        {
            MethodDeclarationSyntax declaration => declaration.Body,
            LocalFunctionStatementSyntax local => local.Body,
            _ => null,
        };
        if (body is null || body.Statements.Count != 1 || body.Statements[0] is not TryStatementSyntax tryStatement)
        {
            return false;
        }

        foreach (CatchClauseSyntax clause in tryStatement.Catches)
        {
            if (clause.Filter is null && (clause.Declaration is null || IsExceptionTypeName(clause.Declaration.Type)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsExceptionTypeName(TypeSyntax type) => type switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == "Exception",
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText == "Exception",
        _ => false,
    };

    /// <summary>Tasks that are already complete, or owned by a TaskScope, need no observer.</summary>
    private static bool IsAlreadyOwnedOrComplete(IMethodSymbol method, KnownSymbols known)
    {
        if (KnownSymbols.Is(method.ContainingType, known.TaskScope))
        {
            return true;
        }

        return KnownSymbols.Is(method.ContainingType, known.Task)
            && method.Name is "FromResult" or "FromException" or "FromCanceled";
    }
}
