using System.Collections.Immutable;
using System.Linq;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK2005: a wait with neither a token nor a timeout: <c>Task.Delay(Timeout.Infinite)</c> anywhere, and inside a loop
/// or background work <c>SemaphoreSlim.Wait[Async]()</c>, <c>Task.Wait()</c>, <c>ManualResetEventSlim.Wait()</c>,
/// <c>WaitHandle.WaitOne()</c>, channel reads and writes, and <c>BlockingCollection.Take/Add</c> without a token.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WaitWithoutCancellationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The property a fix reads: the name of the token to pass (absent when no token is in scope).</summary>
    internal const string TokenNameProperty = "TokenName";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WaitWithoutCancellation);

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

            start.RegisterOperationAction(c => Analyze(c, known), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (HasTokenOrTimeout(invocation, known))
        {
            return;
        }

        bool infiniteDelay = invocation.IsTaskStatic(known, "Delay") && IsInfinite(invocation.Arguments[0].Value, known);
        if (!infiniteDelay)
        {
            if (!IsUnboundedWait(method, known))
            {
                return;
            }

            if (!invocation.IsInLoop() && !BackgroundContext.IsBackground(invocation, context.ContainingSymbol, known))
            {
                return;
            }
        }

        IParameterSymbol? token = invocation.TokensInScope(context.ContainingSymbol, known).FirstOrDefault();
        ImmutableDictionary<string, string?> properties = token is not null && CanTakeToken(method, known)
            ? ImmutableDictionary<string, string?>.Empty.Add(TokenNameProperty, token.Name)
            : ImmutableDictionary<string, string?>.Empty;
        string where = infiniteDelay ? string.Empty : invocation.IsInLoop() ? " inside a loop" : " in background work";
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.WaitWithoutCancellation,
            invocation.Syntax.GetLocation(),
            properties,
            method.ContainingType.Name + "." + method.Name,
            where));
    }

    private static bool HasTokenOrTimeout(IInvocationOperation invocation, KnownSymbols known)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            ITypeSymbol? type = argument.Parameter?.Type;
            if (type is null)
            {
                continue;
            }

            if (known.IsCancellationToken(type))
            {
                if (argument.ArgumentKind != ArgumentKind.DefaultValue && !OperationWalks.IsNoneToken(argument.Value, known))
                {
                    return true;
                }
            }
            else if (type.Name == "TimeSpan" || (type.SpecialType == SpecialType.System_Int32 && argument.Parameter!.Name.IndexOf("timeout", System.StringComparison.OrdinalIgnoreCase) >= 0))
            {
                if (!IsInfinite(argument.Value, known) && invocation.TargetMethod.Name != "Delay")
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsUnboundedWait(IMethodSymbol method, KnownSymbols known)
    {
        INamedTypeSymbol type = method.ContainingType;
        return method.Name switch
        {
            "Wait" or "WaitAsync" => KnownSymbols.Is(type, known.SemaphoreSlim) || KnownSymbols.Is(type, known.ManualResetEventSlim)
                || KnownSymbols.Is(type, known.CountdownEvent) || (method.Name == "Wait" && known.IsTask(type)),
            "WaitOne" => KnownSymbols.InheritsFrom(type, known.WaitHandle),
            "ReadAsync" or "WaitToReadAsync" or "ReadAllAsync" => KnownSymbols.Is(type.OriginalDefinition, known.ChannelReader),
            "WriteAsync" or "WaitToWriteAsync" => KnownSymbols.Is(type.OriginalDefinition, known.ChannelWriter),
            "Take" or "Add" => KnownSymbols.Is(type.OriginalDefinition, known.BlockingCollection),
            _ => false,
        };
    }

    /// <summary>Whether the method (or an overload) takes a CancellationToken, so a fix can pass one.</summary>
    private static bool CanTakeToken(IMethodSymbol method, KnownSymbols known) =>
        method.Parameters.Any(p => known.IsCancellationToken(p.Type))
        || method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().Any(m =>
            m.Parameters.Length == method.Parameters.Length + 1 && known.IsCancellationToken(m.Parameters[m.Parameters.Length - 1].Type));

    private static bool IsInfinite(IOperation value, KnownSymbols known)
    {
        IOperation stripped = value.WithoutConversions();
        if (stripped.ConstantValue is { HasValue: true, Value: -1 })
        {
            return true;
        }

        return stripped is IFieldReferenceOperation { Field.Name: "Infinite" or "InfiniteTimeSpan" } field
            && KnownSymbols.Is(field.Field.ContainingType, known.Timeout);
    }
}
