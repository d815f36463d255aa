using System.Collections.Concurrent;
using System.Collections.Immutable;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK1006: a <c>TaskCompletionSource</c> created without <c>RunContinuationsAsynchronously</c> (held in a field or a
/// local) and completed (<c>Set*</c>/<c>TrySet*</c>) inside a <c>lock</c> statement of the same type.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TaskCompletionSourceCompletedUnderLockAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The value of TaskCreationOptions.RunContinuationsAsynchronously.</summary>
    private const int RunContinuationsAsynchronously = 64;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.TaskCompletionSourceCompletedUnderLock);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.For(start.Compilation);
            if (known.TaskCompletionSource is null && known.TaskCompletionSourceOfT is null)
            {
                return;
            }

            start.RegisterSymbolStartAction(symbolStart => AnalyzeType(symbolStart, known), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, KnownSymbols known)
    {
        // Sources created without the option, keyed by the field or local that holds them; and those completed under a lock.
        var synchronousSources = new ConcurrentQueue<(ISymbol Holder, Location Location)>();
        var completedUnderLock = new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default);

        context.RegisterOperationAction(
            c =>
            {
                if (!SymbolEqualityComparer.Default.Equals(c.ContainingSymbol.ContainingType, context.Symbol))
                {
                    return;
                }

                switch (c.Operation)
                {
                    case IObjectCreationOperation creation when known.IsTaskCompletionSource(creation.Type) && !RunsContinuationsAsynchronously(creation):
                        ISymbol? holder = GetHolder(creation);
                        if (holder is not null)
                        {
                            synchronousSources.Enqueue((holder, creation.Syntax.GetLocation()));
                        }

                        break;
                    case IInvocationOperation invocation when IsCompletion(invocation, known) && IsInsideLock(invocation):
                        ISymbol? completed = invocation.Instance?.WithoutConversions() switch
                        {
                            IFieldReferenceOperation field => field.Field,
                            ILocalReferenceOperation local => local.Local,
                            _ => null,
                        };
                        if (completed is not null)
                        {
                            completedUnderLock.TryAdd(completed, true);
                        }

                        break;
                }
            },
            OperationKind.ObjectCreation,
            OperationKind.Invocation);

        context.RegisterSymbolEndAction(end =>
        {
            foreach ((ISymbol holder, Location location) in synchronousSources)
            {
                if (completedUnderLock.ContainsKey(holder))
                {
                    end.ReportDiagnostic(Diagnostic.Create(Descriptors.TaskCompletionSourceCompletedUnderLock, location, holder.Name));
                }
            }
        });
    }

    private static bool RunsContinuationsAsynchronously(IObjectCreationOperation creation)
    {
        foreach (IArgumentOperation argument in creation.Arguments)
        {
            if (argument.Parameter?.Type.TypeKind != TypeKind.Enum)
            {
                continue;
            }

            Optional<object?> constant = argument.Value.ConstantValue;
            if (!constant.HasValue || constant.Value is not int flags)
            {
                return true; // not a constant: assume the author chose
            }

            return (flags & RunContinuationsAsynchronously) != 0;
        }

        return false;
    }

    private static ISymbol? GetHolder(IObjectCreationOperation creation)
    {
        IOperation? consumer = creation.GetConsumer(out IOperation child);
        return consumer switch
        {
            IFieldInitializerOperation initializer when initializer.InitializedFields.Length == 1 => initializer.InitializedFields[0],
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: IFieldReferenceOperation field } assignment when assignment.Value == child => field.Field,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == child => local.Local,
            _ => null,
        };
    }

    private static bool IsCompletion(IInvocationOperation invocation, KnownSymbols known) =>
        invocation.TargetMethod.Name is "SetResult" or "TrySetResult" or "SetException" or "TrySetException" or "SetCanceled" or "TrySetCanceled"
        && known.IsTaskCompletionSource(invocation.TargetMethod.ContainingType);

    private static bool IsInsideLock(IOperation operation)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is ILockOperation)
            {
                return true;
            }
        }

        return false;
    }
}
