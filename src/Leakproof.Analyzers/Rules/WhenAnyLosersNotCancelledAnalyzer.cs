using System.Collections.Immutable;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK2002: a first-wins <c>Task.WhenAny</c> race (no <c>Task.Delay</c> input: that is LEAK2003) in a function that
/// never cancels a source or scope and never awaits the inputs afterwards.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WhenAnyLosersNotCancelledAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.WhenAnyLosersNotCancelled);

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

            start.RegisterOperationAction(c => Analyze(c, known), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!invocation.IsTaskStatic(known, "WhenAny"))
        {
            return;
        }

        WhenAnyShape shape = WhenAnyShape.Create(invocation, known);
        if (shape.Delay is not null || shape.ObservesInputsAfter(invocation)
            || invocation.GetRoot().ContainsCancellation(known, includeCancelAfter: false))
        {
            return;
        }

        foreach (IOperation input in shape.Inputs)
        {
            if (input is IInvocationOperation call && KnownSymbols.Is(call.TargetMethod.ContainingType, known.TaskScope))
            {
                return; // scope children are cancelled and awaited by their scope
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.WhenAnyLosersNotCancelled, invocation.Syntax.GetLocation()));
    }
}
