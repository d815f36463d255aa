using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Internal;

/// <summary>
/// Decides whether a disposable local is disposed on every path: <c>using</c>, a finally block, a dispose in a
/// lambda (handed-off cleanup), or a dispose that no early <c>return</c>/<c>throw</c> can skip. One pass over the body.
/// </summary>
internal static class LocalLifetime
{
    public static LocalFate Analyze(ILocalSymbol local, IOperation declaration, out bool hasCancelAfter)
    {
        hasCancelAfter = false;
        if (IsUsingDeclared(declaration))
        {
            return LocalFate.Disposed;
        }

        IOperation root = declaration.GetRoot();
        IOperation? declaringFunction = declaration.GetEnclosingFunction();
        int declarationEnd = declaration.Syntax.Span.End;
        var disposals = new List<IOperation>();
        var exits = new List<IOperation>();
        bool escapes = false;
        bool disposedSafely = false;

        foreach (IOperation operation in root.Descendants())
        {
            if (operation is IReturnOperation or IThrowOperation)
            {
                if (operation.Syntax.SpanStart > declarationEnd && operation.GetEnclosingFunction() == declaringFunction
                    && operation is not IReturnOperation { ReturnedValue: null, IsImplicit: true })
                {
                    exits.Add(operation);
                }

                continue;
            }

            if (operation is not ILocalReferenceOperation reference
                || !SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            IOperation? consumer = reference.GetConsumer(out IOperation child);
            switch (consumer)
            {
                case IInvocationOperation invocation when invocation.Instance == child:
                    if (IsDisposeName(invocation.TargetMethod.Name))
                    {
                        disposedSafely |= RecordDisposal(invocation, declaringFunction, disposals);
                    }
                    else if (invocation.TargetMethod.Name == "CancelAfter")
                    {
                        hasCancelAfter = true;
                    }

                    break;
                case IConditionalAccessOperation conditional when conditional.Operation == child:
                    if (conditional.WhenNotNull is IInvocationOperation whenNotNull && IsDisposeName(whenNotNull.TargetMethod.Name))
                    {
                        disposedSafely |= RecordDisposal(conditional, declaringFunction, disposals);
                    }
                    else if (conditional.WhenNotNull is IInvocationOperation { TargetMethod.Name: "CancelAfter" })
                    {
                        hasCancelAfter = true;
                    }

                    break;
                case IUsingOperation:
                    disposedSafely = true;
                    break;
                case ISimpleAssignmentOperation assignment when assignment.Target == child:
                    break;
                case IReturnOperation or IArgumentOperation or ISimpleAssignmentOperation or IVariableInitializerOperation
                    or IArrayInitializerOperation or ITupleOperation or ICollectionExpressionOperation
                    or IPropertyInitializerOperation or IFieldInitializerOperation or IAnonymousObjectCreationOperation:
                    escapes = true;
                    break;
            }
        }

        if (disposedSafely)
        {
            return LocalFate.Disposed;
        }

        if (escapes)
        {
            return LocalFate.Escapes;
        }

        if (disposals.Count == 0)
        {
            return LocalFate.NeverDisposed;
        }

        foreach (IOperation exit in exits)
        {
            if (!IsCoveredByDisposal(exit, disposals))
            {
                return LocalFate.DisposedNotOnEveryPath;
            }
        }

        return LocalFate.Disposed;
    }

    public static bool IsDisposeName(string name) => name is "Dispose" or "DisposeAsync" or "Unregister";

    private static bool IsUsingDeclared(IOperation declaration)
    {
        for (IOperation? current = declaration.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IUsingDeclarationOperation:
                case IUsingOperation:
                    return true;
                case IVariableDeclarationGroupOperation:
                case IVariableDeclarationOperation:
                case IVariableDeclaratorOperation:
                case IVariableInitializerOperation:
                case IConversionOperation:
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>Records a disposal; returns true when it runs whatever path is taken (finally block, or handed to a lambda).</summary>
    private static bool RecordDisposal(IOperation disposal, IOperation? declaringFunction, List<IOperation> disposals)
    {
        if (disposal.IsInFinally() || disposal.GetEnclosingFunction() != declaringFunction)
        {
            return true;
        }

        disposals.Add(disposal);
        return false;
    }

    /// <summary>An exit is covered when a disposal precedes it in a block that also holds the exit.</summary>
    private static bool IsCoveredByDisposal(IOperation exit, List<IOperation> disposals)
    {
        int exitStart = exit.Syntax.SpanStart;
        foreach (IOperation disposal in disposals)
        {
            if (disposal.Syntax.SpanStart >= exitStart)
            {
                continue;
            }

            IOperation? block = disposal.Parent;
            while (block is not null and not IBlockOperation)
            {
                block = block.Parent;
            }

            if (block is not null && block.Syntax.Span.Contains(exit.Syntax.Span))
            {
                return true;
            }
        }

        return false;
    }
}
