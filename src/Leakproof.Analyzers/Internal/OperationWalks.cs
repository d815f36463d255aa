using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Internal;

/// <summary>Small walks over the IOperation tree shared by the rules. Every walk is linear in the size of the body.</summary>
internal static class OperationWalks
{
    /// <summary>Returns the operation with implicit conversions and parentheses removed.</summary>
    public static IOperation WithoutConversions(this IOperation operation)
    {
        IOperation current = operation;
        while (true)
        {
            switch (current)
            {
                case IConversionOperation conversion:
                    current = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    current = parenthesized.Operand;
                    break;
                default:
                    return current;
            }
        }
    }

    /// <summary>Returns the first parent that is not a conversion or parentheses, and the child that leads to it.</summary>
    public static IOperation? GetConsumer(this IOperation operation, out IOperation child)
    {
        child = operation;
        IOperation? parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            child = parent;
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>Returns whether the value of <paramref name="operation"/> is thrown away (a statement or a <c>_ =</c> discard).</summary>
    public static bool IsDiscarded(this IOperation operation)
    {
        IOperation? consumer = operation.GetConsumer(out IOperation child);
        return consumer switch
        {
            IExpressionStatementOperation => true,
            ISimpleAssignmentOperation assignment => assignment.Value == child && assignment.Target is IDiscardOperation
                && assignment.Parent is IExpressionStatementOperation,
            _ => false,
        };
    }

    /// <summary>Returns the task expressions an argument stands for: the elements of a params array or collection, else the value.</summary>
    public static IEnumerable<IOperation> ExpandElements(this IArgumentOperation argument)
    {
        IOperation value = argument.Value.WithoutConversions();
        return value switch
        {
            IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
            ICollectionExpressionOperation collection => collection.Elements,
            _ => new[] { value },
        };
    }

    /// <summary>Returns the top of the operation tree that holds <paramref name="operation"/> (the member body).</summary>
    public static IOperation GetRoot(this IOperation operation)
    {
        IOperation current = operation;
        while (current.Parent is not null)
        {
            current = current.Parent;
        }

        return current;
    }

    /// <summary>Returns the nearest enclosing lambda or local function, or <see langword="null"/> for the member body itself.</summary>
    public static IOperation? GetEnclosingFunction(this IOperation operation)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>Returns the method symbol of the function that holds <paramref name="operation"/>.</summary>
    public static IMethodSymbol? GetEnclosingMethodSymbol(this IOperation operation, ISymbol containingSymbol) =>
        operation.GetEnclosingFunction() switch
        {
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            ILocalFunctionOperation local => local.Symbol,
            _ => containingSymbol as IMethodSymbol,
        };

    /// <summary>Returns whether <paramref name="operation"/> sits in a finally block of its own function.</summary>
    public static bool IsInFinally(this IOperation operation)
    {
        IOperation child = operation;
        for (IOperation? current = operation.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is ITryOperation tryOperation && tryOperation.Finally == child)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns whether <paramref name="operation"/> sits inside a loop of its own function.</summary>
    public static bool IsInLoop(this IOperation operation)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is ILoopOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns whether <paramref name="operation"/> sits inside a lambda or local function.</summary>
    public static bool IsInNestedFunction(this IOperation operation) => operation.GetEnclosingFunction() is not null;

    /// <summary>Returns the invocations in <paramref name="root"/> (lambdas included).</summary>
    public static IEnumerable<IInvocationOperation> Invocations(this IOperation root) =>
        root.Descendants().OfType<IInvocationOperation>();

    /// <summary>Returns whether anything in <paramref name="root"/> cancels a CancellationTokenSource or a TaskScope.</summary>
    public static bool ContainsCancellation(this IOperation root, KnownSymbols known, bool includeCancelAfter)
    {
        foreach (IInvocationOperation invocation in root.Invocations())
        {
            IMethodSymbol method = invocation.TargetMethod;
            ITypeSymbol? type = method.ContainingType;
            if (KnownSymbols.Is(type, known.CancellationTokenSource))
            {
                if (method.Name is "Cancel" or "CancelAsync" || (includeCancelAfter && method.Name == "CancelAfter"))
                {
                    return true;
                }
            }
            else if (KnownSymbols.Is(type, known.TaskScope) && method.Name == "Cancel")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns whether <paramref name="invocation"/> is a static call to Task.&lt;<paramref name="name"/>&gt;.</summary>
    public static bool IsTaskStatic(this IInvocationOperation invocation, KnownSymbols known, string name) =>
        invocation.TargetMethod.IsStatic && invocation.TargetMethod.Name == name
        && KnownSymbols.Is(invocation.TargetMethod.ContainingType, known.Task);

    /// <summary>Returns whether <paramref name="invocation"/> passes an explicit CancellationToken (not a default one).</summary>
    public static bool PassesToken(this IInvocationOperation invocation, KnownSymbols known) =>
        invocation.Arguments.Any(a => a.ArgumentKind != ArgumentKind.DefaultValue
            && known.IsCancellationToken(a.Parameter?.Type) && !IsNoneToken(a.Value, known));

    /// <summary>Returns whether <paramref name="value"/> is <c>default</c> or <c>CancellationToken.None</c>.</summary>
    public static bool IsNoneToken(IOperation value, KnownSymbols known)
    {
        IOperation stripped = value.WithoutConversions();
        return stripped is IDefaultValueOperation
            || (stripped is IPropertyReferenceOperation property && property.Property.Name == "None"
                && KnownSymbols.Is(property.Property.ContainingType, known.CancellationToken));
    }

    /// <summary>Returns the value a local was declared with, when it has one initializer and no other assignment.</summary>
    public static IOperation? ResolveLocalValue(IOperation value, IOperation root)
    {
        IOperation stripped = value.WithoutConversions();
        if (stripped is not ILocalReferenceOperation reference)
        {
            return stripped;
        }

        IOperation? initializer = null;
        foreach (IOperation operation in root.Descendants())
        {
            if (operation is IVariableDeclaratorOperation declarator
                && SymbolEqualityComparer.Default.Equals(declarator.Symbol, reference.Local))
            {
                initializer = declarator.Initializer?.Value ?? declarator.GetVariableInitializer()?.Value;
            }
            else if (operation is ISimpleAssignmentOperation assignment
                && assignment.Target is ILocalReferenceOperation target
                && SymbolEqualityComparer.Default.Equals(target.Local, reference.Local))
            {
                return null;
            }
        }

        return initializer?.WithoutConversions();
    }

    /// <summary>Returns whether <paramref name="function"/> is a delegate handed to Task.Run, StartNew, a Thread or the pool.</summary>
    public static bool IsBackgroundDelegate(this IAnonymousFunctionOperation function, KnownSymbols known)
    {
        IOperation? parent = function.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is not IArgumentOperation argument)
        {
            return false;
        }

        switch (argument.Parent)
        {
            case IInvocationOperation invocation:
                IMethodSymbol method = invocation.TargetMethod;
                return (method.Name == "Run" && KnownSymbols.Is(method.ContainingType, known.Task))
                    || (method.Name == "StartNew" && KnownSymbols.Is(method.ContainingType.OriginalDefinition, known.TaskFactory))
                    || (method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" && KnownSymbols.Is(method.ContainingType, known.ThreadPool));
            case IObjectCreationOperation creation:
                return KnownSymbols.Is(creation.Type, known.Thread);
            default:
                return false;
        }
    }

    /// <summary>Returns whether <paramref name="method"/> overrides BackgroundService.ExecuteAsync.</summary>
    public static bool IsExecuteAsyncOverride(this IMethodSymbol? method, KnownSymbols known)
    {
        for (IMethodSymbol? current = method; current is not null; current = current.OverriddenMethod)
        {
            if (current.Name == "ExecuteAsync" && KnownSymbols.Is(current.ContainingType, known.BackgroundService))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns the CancellationToken parameters visible at <paramref name="operation"/>, innermost first.</summary>
    public static IEnumerable<IParameterSymbol> TokensInScope(this IOperation operation, ISymbol containingSymbol, KnownSymbols known)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            IMethodSymbol? function = current switch
            {
                IAnonymousFunctionOperation lambda => lambda.Symbol,
                ILocalFunctionOperation local => local.Symbol,
                _ => null,
            };
            if (function is null)
            {
                continue;
            }

            foreach (IParameterSymbol parameter in function.Parameters)
            {
                if (known.IsCancellationToken(parameter.Type))
                {
                    yield return parameter;
                }
            }
        }

        if (containingSymbol is IMethodSymbol method)
        {
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (known.IsCancellationToken(parameter.Type))
                {
                    yield return parameter;
                }
            }
        }
    }
}
