using System.Collections.Concurrent;
using System.Collections.Immutable;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK1005: a timer (<c>System.Threading.Timer</c>, <c>System.Timers.Timer</c>, <c>PeriodicTimer</c>,
/// <c>ITimer</c>) that is created and dropped, held in a local that is never disposed, or stored in a field (static
/// ones included, which CA2213/CA1001 do not judge) that its type never disposes or hands on.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UndisposedTimerAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UndisposedTimer);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.For(start.Compilation);
            start.RegisterSymbolStartAction(symbolStart => AnalyzeType(symbolStart, known), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, KnownSymbols known)
    {
        // Fields that receive a new timer, and fields the type disposes or hands on; judged when the type is done.
        var created = new ConcurrentDictionary<IFieldSymbol, Location>(SymbolEqualityComparer.Default);
        var released = new ConcurrentDictionary<IFieldSymbol, bool>(SymbolEqualityComparer.Default);

        context.RegisterOperationAction(
            c =>
            {
                IOperation operation = c.Operation;
                if (!SymbolEqualityComparer.Default.Equals(c.ContainingSymbol.ContainingType, context.Symbol))
                {
                    return; // nested types are judged on their own
                }

                if (operation is IFieldReferenceOperation reference)
                {
                    if (known.IsTimer(reference.Field.Type) && IsRelease(reference))
                    {
                        released.TryAdd(reference.Field, true);
                    }

                    return;
                }

                if (!IsTimerCreation(operation, known))
                {
                    return;
                }

                IOperation? consumer = operation.GetConsumer(out IOperation child);
                switch (consumer)
                {
                    case IFieldInitializerOperation fieldInitializer:
                        foreach (IFieldSymbol field in fieldInitializer.InitializedFields)
                        {
                            created.TryAdd(field, field.Locations[0]);
                        }

                        break;
                    case ISimpleAssignmentOperation { Target: IFieldReferenceOperation target } assignment when assignment.Value == child:
                        created.TryAdd(target.Field, target.Field.Locations[0]);
                        break;
                    case IExpressionStatementOperation:
                    case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                        c.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.UndisposedTimer,
                            operation.Syntax.GetLocation(),
                            "This timer is created and dropped: it fires until the garbage collector happens to collect it, and nothing can stop it"));
                        break;
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
                        when LocalLifetime.Analyze(declarator.Symbol, declarator, out _) == LocalFate.NeverDisposed:
                        c.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.UndisposedTimer,
                            operation.Syntax.GetLocation(),
                            $"The timer in local '{declarator.Symbol.Name}' is never disposed or handed on"));
                        break;
                }
            },
            OperationKind.ObjectCreation,
            OperationKind.Invocation,
            OperationKind.FieldReference);

        context.RegisterSymbolEndAction(end =>
        {
            foreach (var pair in created)
            {
                if (!released.ContainsKey(pair.Key))
                {
                    end.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.UndisposedTimer,
                        pair.Value,
                        $"The timer in {(pair.Key.IsStatic ? "static " : string.Empty)}field '{pair.Key.Name}' is never disposed by '{pair.Key.ContainingType.Name}'"));
                }
            }
        });
    }

    private static bool IsTimerCreation(IOperation operation, KnownSymbols known) => operation switch
    {
        IObjectCreationOperation creation => known.IsTimer(creation.Type),
        IInvocationOperation invocation => invocation.TargetMethod.Name == "CreateTimer"
            && KnownSymbols.Is(invocation.TargetMethod.ContainingType, known.TimeProvider),
        _ => false,
    };

    /// <summary>A field reference that disposes the timer or hands it to code that can.</summary>
    private static bool IsRelease(IFieldReferenceOperation reference)
    {
        IOperation? consumer = reference.GetConsumer(out IOperation child);
        return consumer switch
        {
            IInvocationOperation invocation when invocation.Instance == child => LocalLifetime.IsDisposeName(invocation.TargetMethod.Name),
            IConditionalAccessOperation { WhenNotNull: IInvocationOperation whenNotNull } conditional when conditional.Operation == child =>
                LocalLifetime.IsDisposeName(whenNotNull.TargetMethod.Name),
            IUsingOperation or IArgumentOperation or IReturnOperation or IVariableInitializerOperation => true,
            ISimpleAssignmentOperation assignment => assignment.Value == child,
            _ => false,
        };
    }
}
