using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK2001: a fan-out where one failure does not cancel the siblings.
/// <list type="bullet">
/// <item><c>Task.WhenAll</c> over cancellable work (calls that take a CancellationToken) in a function that never cancels
/// a CancellationTokenSource or TaskScope.</item>
/// <item>Two or more tasks started before the first of them is awaited, then awaited one by one: if an earlier one
/// throws, the later ones are never awaited.</item>
/// </list>
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FanOutWithoutSiblingCancellationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.FanOutWithoutSiblingCancellation);

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

            start.RegisterOperationAction(c => AnalyzeWhenAll(c, known), OperationKind.Invocation);
            start.RegisterOperationBlockAction(c => AnalyzeSequentialAwaits(c, known));
        });
    }

    private static void AnalyzeWhenAll(OperationAnalysisContext context, KnownSymbols known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!invocation.IsTaskStatic(known, "WhenAll"))
        {
            return;
        }

        IOperation root = invocation.GetRoot();
        var work = new List<IInvocationOperation>();
        int taskCount = 0;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            foreach (IOperation element in argument.ExpandElements())
            {
                IOperation value = element.WithoutConversions();
                taskCount += known.IsTaskLike(value.Type) ? 1 : 2; // a collection counts as several tasks
                CollectWork(value, root, work);
            }
        }

        if (taskCount < 2 || work.Count == 0)
        {
            return;
        }

        bool cancellable = false;
        foreach (IInvocationOperation call in work)
        {
            if (KnownSymbols.Is(call.TargetMethod.ContainingType, known.TaskScope))
            {
                return; // children of a scope: the scope cancels them
            }

            cancellable |= call.TargetMethod.Parameters.Any(p => known.IsCancellationToken(p.Type));
        }

        if (cancellable && !root.ContainsCancellation(known, includeCancelAfter: false))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.FanOutWithoutSiblingCancellation,
                invocation.Syntax.GetLocation(),
                "Task.WhenAll waits for every task, but when one fails nothing cancels the others: they run to the end while the failure waits"));
        }
    }

    /// <summary>Collects the calls that produce the tasks: the expression itself, a local's initializer, and what is added to a local list.</summary>
    private static void CollectWork(IOperation value, IOperation root, List<IInvocationOperation> work)
    {
        IOperation? resolved = OperationWalks.ResolveLocalValue(value, root);
        if (resolved is not null)
        {
            AddInvocations(resolved, work);
        }

        if (value.WithoutConversions() is ILocalReferenceOperation local)
        {
            foreach (IInvocationOperation add in root.Invocations())
            {
                if (add.TargetMethod.Name is "Add" or "AddRange" && add.Instance?.WithoutConversions() is ILocalReferenceOperation target
                    && SymbolEqualityComparer.Default.Equals(target.Local, local.Local))
                {
                    foreach (IArgumentOperation argument in add.Arguments)
                    {
                        AddInvocations(argument.Value, work);
                    }
                }
            }
        }
    }

    private static void AddInvocations(IOperation operation, List<IInvocationOperation> work)
    {
        if (operation is IInvocationOperation self)
        {
            work.Add(self);
        }

        work.AddRange(operation.Descendants().OfType<IInvocationOperation>());
    }

    private static void AnalyzeSequentialAwaits(OperationBlockAnalysisContext context, KnownSymbols known)
    {
        foreach (IOperation block in context.OperationBlocks)
        {
            // Locals that hold a started task, with where they start; the awaits of those locals; other uses.
            var started = new Dictionary<ILocalSymbol, int>(SymbolEqualityComparer.Default);
            var awaits = new List<(ILocalSymbol Local, IAwaitOperation Await)>();
            var otherwiseObserved = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);

            foreach (IOperation operation in block.Descendants())
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator
                        when !declarator.IsInNestedFunction() && IsHotTask(initial.WithoutConversions(), known):
                        started[declarator.Symbol] = declarator.Syntax.SpanStart;
                        break;
                    case ILocalReferenceOperation reference when !reference.IsInNestedFunction():
                        IOperation? consumer = reference.GetConsumer(out IOperation child);
                        if (consumer is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance == child)
                        {
                            consumer = configure.GetConsumer(out _);
                        }

                        if (consumer is IAwaitOperation awaitOperation)
                        {
                            awaits.Add((reference.Local, awaitOperation));
                        }
                        else if (consumer is not ISimpleAssignmentOperation { Target: ILocalReferenceOperation })
                        {
                            otherwiseObserved.Add(reference.Local);
                        }

                        break;
                }
            }

            ReportSequentialAwaits(context, started, awaits, otherwiseObserved);
        }
    }

    private static void ReportSequentialAwaits(
        OperationBlockAnalysisContext context,
        Dictionary<ILocalSymbol, int> started,
        List<(ILocalSymbol Local, IAwaitOperation Await)> awaits,
        HashSet<ILocalSymbol> otherwiseObserved)
    {
        if (started.Count < 2)
        {
            return;
        }

        // Earliest await per started local that nothing else observes.
        var firstAwait = new Dictionary<ILocalSymbol, IAwaitOperation>(SymbolEqualityComparer.Default);
        foreach ((ILocalSymbol local, IAwaitOperation awaitOperation) in awaits)
        {
            if (started.ContainsKey(local) && !otherwiseObserved.Contains(local)
                && (!firstAwait.TryGetValue(local, out IAwaitOperation? known) || awaitOperation.Syntax.SpanStart < known.Syntax.SpanStart))
            {
                firstAwait[local] = awaitOperation;
            }
        }

        foreach (var pair in firstAwait.OrderBy(p => p.Value.Syntax.SpanStart))
        {
            int position = pair.Value.Syntax.SpanStart;
            foreach (var other in firstAwait)
            {
                if (!SymbolEqualityComparer.Default.Equals(other.Key, pair.Key) && started[other.Key] < position
                    && other.Value.Syntax.SpanStart > position)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.FanOutWithoutSiblingCancellation,
                        pair.Value.Syntax.GetLocation(),
                        $"'{pair.Key.Name}' and '{other.Key.Name}' run together but are awaited one by one: if '{pair.Key.Name}' fails, '{other.Key.Name}' is never awaited, cancelled or observed"));
                    return; // one report per group is enough
                }
            }
        }
    }

    /// <summary>A call that returns a running task (not a completed one, not a scope child).</summary>
    private static bool IsHotTask(IOperation value, KnownSymbols known)
    {
        if (value is not IInvocationOperation invocation || !known.IsTask(invocation.Type))
        {
            return false;
        }

        IMethodSymbol method = invocation.TargetMethod;
        return !KnownSymbols.Is(method.ContainingType, known.TaskScope)
            && !(KnownSymbols.Is(method.ContainingType, known.Task) && method.Name is "FromResult" or "FromException" or "FromCanceled" or "WhenAll" or "WhenAny");
    }
}
