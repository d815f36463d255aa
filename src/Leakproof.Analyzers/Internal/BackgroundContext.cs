using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Internal;

/// <summary>Decides whether code runs as background work: a delegate given to Task.Run/StartNew/Thread/the pool, or BackgroundService.ExecuteAsync.</summary>
internal static class BackgroundContext
{
    public static bool IsBackground(IOperation operation, ISymbol containingSymbol, KnownSymbols known)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda && lambda.IsBackgroundDelegate(known))
            {
                return true;
            }
        }

        return (containingSymbol as IMethodSymbol).IsExecuteAsyncOverride(known);
    }
}
