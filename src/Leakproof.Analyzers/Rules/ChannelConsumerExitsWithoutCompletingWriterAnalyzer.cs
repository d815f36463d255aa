using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Leakproof.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Rules;

/// <summary>
/// LEAK1007: a consumer loop over a channel field or local of the type (<c>await foreach</c> over
/// <c>Reader.ReadAllAsync</c>, <c>while (await Reader.WaitToReadAsync())</c>, or a loop around <c>Reader.ReadAsync</c>)
/// that exits on an error (a <c>throw</c> or <c>return</c> inside the loop, or a <c>return</c> in a catch around it)
/// without completing <c>Writer</c> on that path, while the same type writes to that channel.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ChannelConsumerExitsWithoutCompletingWriterAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.ChannelConsumerExitsWithoutCompletingWriter);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var channels = new ChannelSymbols(start.Compilation);
            if (channels.Channel is null || channels.Reader is null || channels.Writer is null)
            {
                return;
            }

            start.RegisterSymbolStartAction(symbolStart => AnalyzeType(symbolStart, channels), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, ChannelSymbols channels)
    {
        // Channels the type writes to, and consumer exits that leave a channel's writer open; judged when the type is done.
        var produced = new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        var exits = new ConcurrentDictionary<Location, ISymbol>();

        context.RegisterOperationAction(
            c =>
            {
                if (!SymbolEqualityComparer.Default.Equals(c.ContainingSymbol.ContainingType, context.Symbol))
                {
                    return; // nested types are judged on their own
                }

                var invocation = (IInvocationOperation)c.Operation;
                ISymbol? holder;
                if (KnownSymbols.Is(invocation.TargetMethod.ContainingType.OriginalDefinition, channels.Writer))
                {
                    holder = channels.GetHolder(invocation.Instance, "Writer");
                    if (holder is not null && invocation.TargetMethod.Name is "WriteAsync" or "TryWrite" or "WaitToWriteAsync")
                    {
                        produced.TryAdd(holder, true);
                    }

                    return;
                }

                if (!KnownSymbols.Is(invocation.TargetMethod.ContainingType.OriginalDefinition, channels.Reader)
                    || (holder = channels.GetHolder(invocation.Instance, "Reader")) is null
                    || FindConsumerLoop(invocation) is not { } loop)
                {
                    return;
                }

                foreach (IOperation exit in ConsumerExits.Find(loop, channels))
                {
                    if (!ConsumerExits.IsWriterCompletedOnPath(exit, holder, channels))
                    {
                        exits.TryAdd(exit.Syntax.GetLocation(), holder);
                    }
                }
            },
            OperationKind.Invocation);

        context.RegisterSymbolEndAction(end =>
        {
            foreach (var pair in exits.OrderBy(p => p.Key.SourceSpan.Start))
            {
                if (produced.ContainsKey(pair.Value))
                {
                    end.ReportDiagnostic(Diagnostic.Create(Descriptors.ChannelConsumerExitsWithoutCompletingWriter, pair.Key, pair.Value.Name));
                }
            }
        });
    }

    /// <summary>Returns the loop that consumes the channel through <paramref name="read"/>, or null.</summary>
    private static ILoopOperation? FindConsumerLoop(IInvocationOperation read)
    {
        for (IOperation? current = read.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
                case IForEachLoopOperation forEach when read.TargetMethod.Name == "ReadAllAsync":
                    return forEach.Collection.Syntax.Span.Contains(read.Syntax.Span) ? forEach : null;
                case IWhileLoopOperation whileLoop when read.TargetMethod.Name == "WaitToReadAsync":
                    return whileLoop.Condition?.Syntax.Span.Contains(read.Syntax.Span) == true ? whileLoop : null;
                case ILoopOperation loop when read.TargetMethod.Name == "ReadAsync":
                    return loop;
            }
        }

        return null;
    }
}
