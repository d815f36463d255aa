using System.Collections.Immutable;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK1002: a <c>CancellationTokenRegistration</c> that is discarded, or held in a local that is not disposed on
/// every path. Registrations stored in fields or returned belong to someone else and are not judged here.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UndisposedCancellationTokenRegistrationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.UndisposedCancellationTokenRegistration);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.For(start.Compilation);
            if (known.CancellationTokenRegistration is null)
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
        if (method.Name is not ("Register" or "UnsafeRegister")
            || !KnownSymbols.Is(method.ReturnType, known.CancellationTokenRegistration))
        {
            return;
        }

        string? problem = null;
        if (invocation.IsDiscarded())
        {
            if (!IsTokenOfDisposedLocalSource(invocation.Instance, known))
            {
                problem = "discarded";
            }
        }
        else if (invocation.GetConsumer(out _) is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            problem = LocalLifetime.Analyze(declarator.Symbol, declarator, out _) switch
            {
                LocalFate.NeverDisposed => "never disposed",
                LocalFate.DisposedNotOnEveryPath => "not disposed when an early return or throw leaves the method",
                _ => null,
            };
        }

        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.UndisposedCancellationTokenRegistration, invocation.Syntax.GetLocation(), method.Name, problem));
        }
    }

    /// <summary>
    /// Disposing a source removes every registration on its token, so registering on the token of a local source
    /// declared with <c>using</c> needs no separate disposal.
    /// </summary>
    private static bool IsTokenOfDisposedLocalSource(IOperation? token, KnownSymbols known)
    {
        if (token?.WithoutConversions() is not IPropertyReferenceOperation { Property.Name: "Token", Instance: ILocalReferenceOperation source }
            || !known.IsCancellationTokenSource(source.Local.Type))
        {
            return false;
        }

        foreach (SyntaxReference reference in source.Local.DeclaringSyntaxReferences)
        {
            SyntaxNode? node = reference.GetSyntax();
            for (SyntaxNode? current = node; current is not null; current = current.Parent)
            {
                if (current is Microsoft.CodeAnalysis.CSharp.Syntax.LocalDeclarationStatementSyntax statement)
                {
                    return statement.UsingKeyword != default;
                }

                if (current is Microsoft.CodeAnalysis.CSharp.Syntax.UsingStatementSyntax)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
