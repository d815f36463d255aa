using System.Collections.Immutable;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK1004: a timer, <c>Task.Run</c>, <c>StartNew</c>, thread or thread-pool item started from a static constructor,
/// a static field or property initializer, or a <c>[ModuleInitializer]</c>. Lambdas (run later) are not judged,
/// and neither are calls into other methods (no interprocedural analysis).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BackgroundWorkInTypeInitializerAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.BackgroundWorkInTypeInitializer);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.For(start.Compilation);
            start.RegisterOperationBlockStartAction(block =>
            {
                // Only type and module initializers are looked at: decide once per body, not once per operation.
                string? initializer = DescribeInitializer(block.OwningSymbol, known);
                if (initializer is not null)
                {
                    block.RegisterOperationAction(c => Analyze(c, known, initializer), OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.SimpleAssignment);
                }
            });
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols known, string initializer)
    {
        if (context.Operation.IsInNestedFunction())
        {
            return;
        }

        string? work = context.Operation switch
        {
            IObjectCreationOperation creation when KnownSymbols.Is(creation.Type, known.ThreadingTimer) => "new Timer",
            IInvocationOperation invocation => DescribeInvocation(invocation.TargetMethod, known),
            ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Enabled" } property, Value: ILiteralOperation { ConstantValue.Value: true } }
                when KnownSymbols.Is(property.Property.ContainingType, known.TimersTimer) => "Timer.Enabled = true",
            _ => null,
        };
        if (work is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.BackgroundWorkInTypeInitializer, context.Operation.Syntax.GetLocation(), work, initializer));
        }
    }

    private static string? DescribeInvocation(IMethodSymbol method, KnownSymbols known)
    {
        INamedTypeSymbol type = method.ContainingType;
        return method.Name switch
        {
            "Run" when KnownSymbols.Is(type, known.Task) => "Task.Run",
            "StartNew" when KnownSymbols.Is(type.OriginalDefinition, known.TaskFactory) => "Task.Factory.StartNew",
            "Start" when KnownSymbols.Is(type, known.Thread) => "Thread.Start",
            "Start" when KnownSymbols.Is(type, known.TimersTimer) => "Timer.Start",
            "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" when KnownSymbols.Is(type, known.ThreadPool) => "ThreadPool." + method.Name,
            "CreateTimer" when KnownSymbols.Is(type, known.TimeProvider) => "TimeProvider.CreateTimer",
            _ => null,
        };
    }

    private static string? DescribeInitializer(ISymbol symbol, KnownSymbols known) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.StaticConstructor } => "a static constructor",
        IMethodSymbol method when HasModuleInitializer(method, known) => "a module initializer",
        IFieldSymbol { IsStatic: true } => "a static field initializer",
        IPropertySymbol { IsStatic: true } => "a static property initializer",
        _ => null,
    };

    private static bool HasModuleInitializer(IMethodSymbol method, KnownSymbols known)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (KnownSymbols.Is(attribute.AttributeClass, known.ModuleInitializerAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
