using System.Collections.Immutable;
using System.Linq;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK2003: a timeout that stops waiting but not working: <c>Task.WhenAny(work, Task.Delay(...))</c> in a function that
/// never cancels anything (or whose delay has no token, leaving its timer behind), and <c>task.WaitAsync(timeout)</c>
/// in a function that never cancels a source.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TimeoutAbandonsWorkAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TimeoutAbandonsWork);

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
        string? message = null;
        if (invocation.IsTaskStatic(known, "WhenAny"))
        {
            WhenAnyShape shape = WhenAnyShape.Create(invocation, known);
            if (shape.Delay is null)
            {
                return;
            }

            bool cancels = invocation.GetRoot().ContainsCancellation(known, includeCancelAfter: false);
            if (!cancels)
            {
                message = "This Task.WhenAny timeout stops waiting but cancels nothing: the work runs on after the timeout"
                    + (shape.Delay.PassesToken(known) ? string.Empty : ", and the delay's timer stays until it fires");
            }
            else if (!shape.Delay.PassesToken(known))
            {
                message = "The Task.Delay in this timeout takes no token: when the work wins, its timer stays until it fires";
            }
        }
        else if (invocation.TargetMethod.Name == "WaitAsync" && known.IsTask(invocation.TargetMethod.ContainingType)
            && invocation.TargetMethod.Parameters.Any(p => p.Type.Name == "TimeSpan")
            && !invocation.GetRoot().ContainsCancellation(known, includeCancelAfter: true))
        {
            message = "WaitAsync(timeout) stops waiting but cancels nothing: the work runs on after the timeout";
        }

        if (message is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.TimeoutAbandonsWork, invocation.Syntax.GetLocation(), message));
        }
    }
}
