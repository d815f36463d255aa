using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Internal;

/// <summary>The error exits of a channel consumer loop, and whether a path out completes the channel's writer (LEAK1007).</summary>
internal static class ConsumerExits
{
    /// <summary>
    /// Returns the <c>throw</c>s and <c>return</c>s that leave <paramref name="loop"/> (not those caught inside the loop,
    /// nor those of a cancellation or channel-closed catch), and the <c>return</c>s of catch clauses around it.
    /// </summary>
    public static IEnumerable<IOperation> Find(ILoopOperation loop, ChannelSymbols channels)
    {
        foreach (IOperation operation in loop.Body.DescendantsAndSelf())
        {
            bool candidate = operation is IThrowOperation || operation is IReturnOperation { Kind: OperationKind.Return };
            if (candidate && IsExitFromLoop(operation, loop, channels))
            {
                yield return operation;
            }
        }

        IOperation current = loop;
        for (IOperation? parent = loop.Parent; parent is not null and not IAnonymousFunctionOperation and not ILocalFunctionOperation; parent = parent.Parent)
        {
            if (parent is ITryOperation tryOperation && tryOperation.Body == current)
            {
                foreach (ICatchClauseOperation clause in tryOperation.Catches)
                {
                    if (IsShutdownCatch(clause, channels))
                    {
                        continue;
                    }

                    foreach (IReturnOperation exit in clause.Handler.DescendantsAndSelf().OfType<IReturnOperation>())
                    {
                        if (exit.Kind == OperationKind.Return && !IsInNestedFunction(exit, clause))
                        {
                            yield return exit;
                        }
                    }
                }
            }

            current = parent;
        }
    }

    /// <summary>Returns whether the path from <paramref name="exit"/> out of its method completes the writer of <paramref name="holder"/>.</summary>
    public static bool IsWriterCompletedOnPath(IOperation exit, ISymbol holder, ChannelSymbols channels)
    {
        if (CompletesWriter(exit, holder, channels))
        {
            return true;
        }

        IOperation current = exit;
        for (IOperation? parent = exit.Parent; parent is not null and not IAnonymousFunctionOperation and not ILocalFunctionOperation; parent = parent.Parent)
        {
            switch (parent)
            {
                case IBlockOperation block:
                    foreach (IOperation statement in block.Operations)
                    {
                        if (statement == current)
                        {
                            break;
                        }

                        if (CompletesWriter(statement, holder, channels) || (statement is IUsingDeclarationOperation declaration && References(declaration, holder)))
                        {
                            return true;
                        }
                    }

                    break;
                case ITryOperation tryOperation:
                    if (tryOperation.Finally is not null && tryOperation.Finally != current && CompletesWriter(tryOperation.Finally, holder, channels))
                    {
                        return true;
                    }

                    if (tryOperation.Body == current && exit is IThrowOperation && tryOperation.Catches.Any(c => CompletesWriter(c, holder, channels)))
                    {
                        return true;
                    }

                    break;
                case IUsingOperation usingOperation when usingOperation.Body == current && References(usingOperation.Resources, holder):
                    return true;
            }

            current = parent;
        }

        return false;
    }

    private static bool IsExitFromLoop(IOperation exit, ILoopOperation loop, ChannelSymbols channels)
    {
        IOperation current = exit;
        for (IOperation? parent = exit.Parent; parent is not null && parent != loop; parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case ICatchClauseOperation clause when IsShutdownCatch(clause, channels):
                    return false;
                case ITryOperation tryOperation when tryOperation.Body == current && exit is IThrowOperation && tryOperation.Catches.Length > 0:
                    return false; // caught inside the loop; the catch's own exits are judged on their own
            }

            current = parent;
        }

        return true;
    }

    /// <summary>A catch of OperationCanceledException (or a subclass) or ChannelClosedException: the normal way a consumer stops.</summary>
    private static bool IsShutdownCatch(ICatchClauseOperation clause, ChannelSymbols channels) =>
        KnownSymbols.InheritsFrom(clause.ExceptionType, channels.OperationCanceledException)
        || KnownSymbols.InheritsFrom(clause.ExceptionType, channels.ChannelClosedException);

    private static bool IsInNestedFunction(IOperation operation, IOperation root)
    {
        for (IOperation? parent = operation.Parent; parent is not null && parent != root; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns whether <paramref name="root"/> completes the writer itself (a lambda or local function in it may never run).</summary>
    private static bool CompletesWriter(IOperation root, ISymbol holder, ChannelSymbols channels) =>
        root.DescendantsAndSelf().OfType<IInvocationOperation>().Any(i => channels.IsWriterCompletion(i, holder) && !IsInNestedFunction(i, root));

    private static bool References(IOperation root, ISymbol holder) => root.DescendantsAndSelf().Any(o => o switch
    {
        IFieldReferenceOperation field => SymbolEqualityComparer.Default.Equals(field.Field, holder),
        ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, holder),
        _ => false,
    });
}
