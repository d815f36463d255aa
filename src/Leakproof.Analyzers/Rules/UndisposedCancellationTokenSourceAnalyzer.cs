using System.Collections.Immutable;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK1003: a linked or timed CancellationTokenSource (<c>CreateLinkedTokenSource</c>, <c>new(timeout)</c>, or a
/// local given <c>CancelAfter</c>) that is never disposed: used inline for its <c>.Token</c>, dropped, held in a
/// local not disposed on every path, or assigned over a field without disposing the old source.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UndisposedCancellationTokenSourceAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.UndisposedCancellationTokenSource);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.For(start.Compilation);
            if (known.CancellationTokenSource is null)
            {
                return;
            }

            start.RegisterOperationAction(c => Analyze(c, known), OperationKind.Invocation, OperationKind.ObjectCreation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols known)
    {
        IOperation creation = context.Operation;
        string? holds = creation switch
        {
            IInvocationOperation { TargetMethod.Name: "CreateLinkedTokenSource" } invocation
                when KnownSymbols.Is(invocation.TargetMethod.ContainingType, known.CancellationTokenSource) => "registration on the parent tokens",
            IObjectCreationOperation objectCreation when known.IsCancellationTokenSource(objectCreation.Type) =>
                objectCreation.Arguments.Length > 0 ? "timer" : string.Empty,
            _ => null,
        };
        if (holds is null)
        {
            return;
        }

        IOperation? consumer = creation.GetConsumer(out IOperation child);
        string? problem = null;
        switch (consumer)
        {
            case IPropertyReferenceOperation { Property.Name: "Token" } when holds.Length > 0:
                problem = "is created only for its Token and never disposed";
                break;
            case IExpressionStatementOperation when holds.Length > 0:
            case ISimpleAssignmentOperation { Target: IDiscardOperation } when holds.Length > 0:
                problem = "is created and dropped";
                break;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                LocalFate fate = LocalLifetime.Analyze(declarator.Symbol, declarator, out bool hasCancelAfter);
                if (holds.Length == 0)
                {
                    if (!hasCancelAfter)
                    {
                        return;
                    }

                    holds = "timer (CancelAfter)";
                }

                problem = fate switch
                {
                    LocalFate.NeverDisposed => "is never disposed",
                    LocalFate.DisposedNotOnEveryPath => "is not disposed when an early return or throw leaves the method",
                    _ => null,
                };
                break;
            case ISimpleAssignmentOperation { Target: IFieldReferenceOperation field } assignment when assignment.Value == child && holds.Length > 0:
                if (ReplacesFieldWithoutDisposing(assignment, field.Field, context.ContainingSymbol))
                {
                    problem = $"replaces the source in '{field.Field.Name}' without disposing the old one";
                }

                break;
        }

        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.UndisposedCancellationTokenSource, creation.Syntax.GetLocation(), problem, holds));
        }
    }

    private static bool ReplacesFieldWithoutDisposing(ISimpleAssignmentOperation assignment, IFieldSymbol field, ISymbol containingSymbol)
    {
        if (containingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor })
        {
            return false;
        }

        int position = assignment.Syntax.SpanStart;
        foreach (IOperation operation in assignment.GetRoot().Descendants())
        {
            if (operation is not IFieldReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Field, field)
                || reference == assignment.Target || operation.Syntax.SpanStart > position)
            {
                continue;
            }

            IOperation? consumer = reference.GetConsumer(out IOperation child);
            switch (consumer)
            {
                case IInvocationOperation invocation when invocation.Instance == child && LocalLifetime.IsDisposeName(invocation.TargetMethod.Name):
                case IConditionalAccessOperation { WhenNotNull: IInvocationOperation whenNotNull } when LocalLifetime.IsDisposeName(whenNotNull.TargetMethod.Name):
                case IArgumentOperation:
                case IUsingOperation:
                case IVariableInitializerOperation:
                case ISimpleAssignmentOperation when ((ISimpleAssignmentOperation)consumer).Value == child:
                    // Disposed, or moved somewhere that will dispose it (a local, Interlocked.Exchange, a helper).
                    return false;
            }
        }

        return true;
    }
}
