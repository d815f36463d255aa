using System.Collections.Immutable;
using System.Linq;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK2004: an endless loop (<c>while (true)</c>, <c>for (;;)</c>, <c>do … while (true)</c>) that never looks at a
/// CancellationToken, when it awaits or runs as background work and a token is in scope (or it runs as background
/// work and has no exit at all); and a <c>BackgroundService.ExecuteAsync</c> that ignores <c>stoppingToken</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LoopIgnoresCancellationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.LoopIgnoresCancellation);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.For(start.Compilation);
            if (known.CancellationToken is null)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeLoop(c, known), OperationKind.Loop);
            start.RegisterOperationBlockAction(c => AnalyzeExecuteAsync(c, known));
        });
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, KnownSymbols known)
    {
        var loop = (ILoopOperation)context.Operation;
        if (!IsEndless(loop) || ObservesCancellation(loop, known))
        {
            return;
        }

        bool background = BackgroundContext.IsBackground(loop, context.ContainingSymbol, known);
        IOperation? function = loop.GetEnclosingFunction();
        bool awaits = loop.Descendants().Any(o => o is IAwaitOperation && o.GetEnclosingFunction() == function);
        IParameterSymbol? token = loop.TokensInScope(context.ContainingSymbol, known).FirstOrDefault();
        bool report = token is not null ? awaits || background : background && !HasExit(loop);
        if (!report)
        {
            return;
        }

        string message = token is not null
            ? $"This endless loop never observes '{token.Name}': it cannot be stopped by cancellation"
            : "This endless background loop has no cancellation token and no exit: nothing can stop it";
        ImmutableDictionary<string, string?> properties = token is not null
            ? ImmutableDictionary<string, string?>.Empty.Add(WaitWithoutCancellationAnalyzer.TokenNameProperty, token.Name)
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.LoopIgnoresCancellation, GetLoopKeywordLocation(loop), properties, message));
    }

    private static void AnalyzeExecuteAsync(OperationBlockAnalysisContext context, KnownSymbols known)
    {
        if (context.OwningSymbol is not IMethodSymbol method || !method.IsExecuteAsyncOverride(known) || method.Parameters.Length != 1)
        {
            return;
        }

        IParameterSymbol stoppingToken = method.Parameters[0];
        foreach (IOperation block in context.OperationBlocks)
        {
            foreach (IOperation operation in block.Descendants())
            {
                if (operation is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, stoppingToken))
                {
                    return;
                }
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.LoopIgnoresCancellation,
            method.Locations[0],
            $"ExecuteAsync never uses '{stoppingToken.Name}': the host cannot stop this service"));
    }

    private static bool IsEndless(ILoopOperation loop) => loop switch
    {
        IWhileLoopOperation whileLoop => whileLoop.Condition is null || whileLoop.Condition.ConstantValue is { HasValue: true, Value: true },
        IForLoopOperation forLoop => forLoop.Condition is null || forLoop.Condition.ConstantValue is { HasValue: true, Value: true },
        _ => false,
    };

    /// <summary>Any real token or source used in the loop (a default or None token does not count).</summary>
    private static bool ObservesCancellation(ILoopOperation loop, KnownSymbols known)
    {
        foreach (IOperation operation in loop.Descendants())
        {
            if (operation.IsImplicit && operation is IDefaultValueOperation)
            {
                continue;
            }

            if (known.IsCancellationTokenSource(operation.Type)
                || (known.IsCancellationToken(operation.Type) && !OperationWalks.IsNoneToken(operation, known) && operation is not IDefaultValueOperation))
            {
                return true;
            }

            if (operation is IInvocationOperation { TargetMethod.Name: "Cancel" } cancel && KnownSymbols.Is(cancel.TargetMethod.ContainingType, known.TaskScope))
            {
                return true;
            }

            if (operation is IPropertyReferenceOperation { Property.Name: "CancellationToken" or "IsCancellationRequested" })
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasExit(ILoopOperation loop)
    {
        IOperation? function = loop.GetEnclosingFunction();
        foreach (IOperation operation in loop.Body.Descendants())
        {
            if (operation.GetEnclosingFunction() != function)
            {
                continue;
            }

            switch (operation)
            {
                case IReturnOperation:
                case IThrowOperation:
                case IBranchOperation { BranchKind: BranchKind.Break } branch when SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel):
                    return true;
            }
        }

        return false;
    }

    private static Location GetLoopKeywordLocation(ILoopOperation loop) =>
        loop.Syntax.GetFirstToken().GetLocation();
}
