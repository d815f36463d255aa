using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Internal;

/// <summary>The inputs of a <c>Task.WhenAny</c> call, resolved through locals: shared by the race and timeout rules.</summary>
internal sealed class WhenAnyShape
{
    private WhenAnyShape(List<IOperation> inputs, List<ILocalSymbol> inputLocals, IInvocationOperation? delay)
    {
        Inputs = inputs;
        InputLocals = inputLocals;
        Delay = delay;
    }

    /// <summary>Gets the resolved input expressions (a local is replaced by its initializer).</summary>
    public List<IOperation> Inputs { get; }

    /// <summary>Gets the locals passed as inputs (tasks or a task collection).</summary>
    public List<ILocalSymbol> InputLocals { get; }

    /// <summary>Gets the <c>Task.Delay</c> input that makes this race a timeout, if any.</summary>
    public IInvocationOperation? Delay { get; }

    public static WhenAnyShape Create(IInvocationOperation whenAny, KnownSymbols known)
    {
        IOperation root = whenAny.GetRoot();
        var inputs = new List<IOperation>();
        var locals = new List<ILocalSymbol>();
        IInvocationOperation? delay = null;
        foreach (IArgumentOperation argument in whenAny.Arguments)
        {
            foreach (IOperation element in argument.ExpandElements())
            {
                IOperation stripped = element.WithoutConversions();
                if (stripped is ILocalReferenceOperation local)
                {
                    locals.Add(local.Local);
                }

                IOperation? resolved = OperationWalks.ResolveLocalValue(stripped, root);
                if (resolved is null)
                {
                    continue;
                }

                inputs.Add(resolved);
                if (resolved is IInvocationOperation invocation && invocation.IsTaskStatic(known, "Delay"))
                {
                    delay = invocation;
                }
            }
        }

        return new WhenAnyShape(inputs, locals, delay);
    }

    /// <summary>Returns whether the function awaits an input later, passes it to WhenAll, or removes finished ones from a list.</summary>
    public bool ObservesInputsAfter(IInvocationOperation whenAny)
    {
        if (InputLocals.Count == 0)
        {
            return false;
        }

        int end = whenAny.Syntax.Span.End;
        foreach (IOperation operation in whenAny.GetRoot().Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !InputLocals.Contains(reference.Local, SymbolEqualityComparer.Default))
            {
                continue;
            }

            IOperation? consumer = reference.GetConsumer(out IOperation child);
            if (consumer is IInvocationOperation { TargetMethod.Name: "Remove" or "RemoveAt" or "Clear" } removal && removal.Instance == child)
            {
                return true; // interleaving: each finished task is taken out and the loop goes on with the rest
            }

            if (operation.Syntax.SpanStart < end)
            {
                continue;
            }

            if (consumer is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance == child)
            {
                consumer = configure.GetConsumer(out _);
            }

            while (consumer is IArrayInitializerOperation or IArrayCreationOperation or ICollectionExpressionOperation or IConversionOperation)
            {
                consumer = consumer.Parent;
            }

            if (consumer is IAwaitOperation
                || (consumer is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "WhenAll" } }))
            {
                return true;
            }
        }

        return false;
    }
}
