using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK1008: an instance <c>TaskCompletionSource</c>/<c>TaskCompletionSource&lt;T&gt;</c> field of a type that
/// declares <c>Dispose</c>/<c>DisposeAsync</c> (of <c>IDisposable</c>/<c>IAsyncDisposable</c>) when no dispose method,
/// nor a method of the same type it calls, completes the field or hands it on.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TaskCompletionSourceNotCompletedOnDisposeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.TaskCompletionSourceNotCompletedOnDispose);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.For(start.Compilation);
            INamedTypeSymbol? disposable = start.Compilation.GetSpecialType(SpecialType.System_IDisposable);
            INamedTypeSymbol? asyncDisposable = start.Compilation.GetTypeByMetadataName("System.IAsyncDisposable");
            if (known.TaskCompletionSource is null && known.TaskCompletionSourceOfT is null)
            {
                return;
            }

            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    var type = (INamedTypeSymbol)symbolStart.Symbol;
                    if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct)
                        || !type.AllInterfaces.Any(i => KnownSymbols.Is(i, disposable) || KnownSymbols.Is(i, asyncDisposable))
                        || !type.GetMembers().Any(m => m is IMethodSymbol method && IsDisposeMethod(method))
                        || !type.GetMembers().Any(m => m is IFieldSymbol { IsStatic: false } field && known.IsTaskCompletionSource(field.Type)))
                    {
                        return;
                    }

                    AnalyzeType(symbolStart, type, known);
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>Returns whether <paramref name="method"/> is a dispose method: Dispose(), Dispose(bool), DisposeAsync(), DisposeAsyncCore() or an explicit implementation of one.</summary>
    internal static bool IsDisposeMethod(IMethodSymbol method)
    {
        string name = method.MethodKind == MethodKind.ExplicitInterfaceImplementation && method.ExplicitInterfaceImplementations.Length > 0
            ? method.ExplicitInterfaceImplementations[0].Name
            : method.Name;
        return method.MethodKind is MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation
            && name is "Dispose" or "DisposeAsync" or "DisposeAsyncCore"
            && (method.Parameters.Length == 0 || (method.Parameters.Length == 1 && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean));
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, INamedTypeSymbol type, KnownSymbols known)
    {
        // Per method of the type: the source fields it completes or hands on, and the methods of the type it calls.
        var released = new ConcurrentDictionary<(IMethodSymbol Method, IFieldSymbol Field), bool>(new MethodFieldComparer());
        var calls = new ConcurrentDictionary<(IMethodSymbol Caller, IMethodSymbol Callee), bool>(new MethodPairComparer());

        context.RegisterOperationAction(
            c =>
            {
                if (c.ContainingSymbol is not IMethodSymbol method || !SymbolEqualityComparer.Default.Equals(method.ContainingType, type))
                {
                    return;
                }

                switch (c.Operation)
                {
                    case IInvocationOperation invocation when SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, type):
                        calls.TryAdd((method, invocation.TargetMethod.OriginalDefinition), true);
                        break;
                    case IFieldReferenceOperation reference when known.IsTaskCompletionSource(reference.Field.Type) && IsRelease(reference):
                        released.TryAdd((method, reference.Field.OriginalDefinition), true);
                        break;
                }
            },
            OperationKind.Invocation,
            OperationKind.FieldReference);

        context.RegisterSymbolEndAction(end =>
        {
            // Everything reachable from the dispose methods through calls inside the type.
            var reachable = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            var pending = new Stack<IMethodSymbol>(type.GetMembers().OfType<IMethodSymbol>().Where(IsDisposeMethod));
            while (pending.Count > 0)
            {
                IMethodSymbol current = pending.Pop();
                if (!reachable.Add(current))
                {
                    continue;
                }

                foreach (var call in calls.Keys)
                {
                    if (SymbolEqualityComparer.Default.Equals(call.Caller, current))
                    {
                        pending.Push(call.Callee);
                    }
                }
            }

            foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.IsStatic || field.IsImplicitlyDeclared || !known.IsTaskCompletionSource(field.Type))
                {
                    continue;
                }

                bool completed = released.Keys.Any(k => SymbolEqualityComparer.Default.Equals(k.Field, field) && reachable.Contains(k.Method));
                if (!completed)
                {
                    end.ReportDiagnostic(Diagnostic.Create(Descriptors.TaskCompletionSourceNotCompletedOnDispose, field.Locations[0], field.Name, type.Name));
                }
            }
        });
    }

    /// <summary>A field reference that completes the source, or hands it to code that can (an argument, a local, a return).</summary>
    private static bool IsRelease(IFieldReferenceOperation reference)
    {
        IOperation? consumer = reference.GetConsumer(out IOperation child);
        return consumer switch
        {
            IInvocationOperation invocation when invocation.Instance == child => IsCompletionName(invocation.TargetMethod.Name),
            IConditionalAccessOperation { WhenNotNull: IInvocationOperation whenNotNull } conditional when conditional.Operation == child =>
                IsCompletionName(whenNotNull.TargetMethod.Name),
            IArgumentOperation or IReturnOperation or IVariableInitializerOperation => true,
            ISimpleAssignmentOperation assignment => assignment.Value == child && assignment.Target is not IFieldReferenceOperation,
            _ => false,
        };
    }

    private static bool IsCompletionName(string name) =>
        name is "SetResult" or "TrySetResult" or "SetException" or "TrySetException" or "SetCanceled" or "TrySetCanceled"
            or "SetFromTask" or "TrySetFromTask";

    private sealed class MethodFieldComparer : IEqualityComparer<(IMethodSymbol Method, IFieldSymbol Field)>
    {
        public bool Equals((IMethodSymbol Method, IFieldSymbol Field) x, (IMethodSymbol Method, IFieldSymbol Field) y) =>
            SymbolEqualityComparer.Default.Equals(x.Method, y.Method) && SymbolEqualityComparer.Default.Equals(x.Field, y.Field);

        public int GetHashCode((IMethodSymbol Method, IFieldSymbol Field) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + SymbolEqualityComparer.Default.GetHashCode(obj.Field);
    }

    private sealed class MethodPairComparer : IEqualityComparer<(IMethodSymbol Caller, IMethodSymbol Callee)>
    {
        public bool Equals((IMethodSymbol Caller, IMethodSymbol Callee) x, (IMethodSymbol Caller, IMethodSymbol Callee) y) =>
            SymbolEqualityComparer.Default.Equals(x.Caller, y.Caller) && SymbolEqualityComparer.Default.Equals(x.Callee, y.Callee);

        public int GetHashCode((IMethodSymbol Caller, IMethodSymbol Callee) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Caller) * 31) + SymbolEqualityComparer.Default.GetHashCode(obj.Callee);
    }
}
