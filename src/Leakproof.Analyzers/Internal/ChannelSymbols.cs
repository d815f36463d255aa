using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Leakproof.Analyzers.Internal;

/// <summary>The channel types LEAK1007 looks for, and how a <c>channel.Reader</c>/<c>channel.Writer</c> access names its channel.</summary>
internal sealed class ChannelSymbols
{
    public ChannelSymbols(Compilation compilation)
    {
        Channel = compilation.GetTypeByMetadataName("System.Threading.Channels.Channel`2");
        Reader = compilation.GetTypeByMetadataName("System.Threading.Channels.ChannelReader`1");
        Writer = compilation.GetTypeByMetadataName("System.Threading.Channels.ChannelWriter`1");
        ChannelClosedException = compilation.GetTypeByMetadataName("System.Threading.Channels.ChannelClosedException");
        OperationCanceledException = compilation.GetTypeByMetadataName("System.OperationCanceledException");
    }

    /// <summary>Gets Channel&lt;TWrite, TRead&gt;, the base of Channel&lt;T&gt; that declares Reader and Writer.</summary>
    public INamedTypeSymbol? Channel { get; }

    public INamedTypeSymbol? Reader { get; }

    public INamedTypeSymbol? Writer { get; }

    public INamedTypeSymbol? ChannelClosedException { get; }

    public INamedTypeSymbol? OperationCanceledException { get; }

    /// <summary>Returns the field or local holding the channel when <paramref name="instance"/> is <c>holder.<paramref name="property"/></c>.</summary>
    public ISymbol? GetHolder(IOperation? instance, string property)
    {
        if (instance?.WithoutConversions() is not IPropertyReferenceOperation reference
            || reference.Property.Name != property
            || !KnownSymbols.InheritsFrom(reference.Property.ContainingType, Channel))
        {
            return null;
        }

        return reference.Instance?.WithoutConversions() switch
        {
            IFieldReferenceOperation field => field.Field,
            ILocalReferenceOperation local => local.Local,
            _ => null,
        };
    }

    /// <summary>Returns whether <paramref name="invocation"/> is <c>holder.Writer.Complete(...)</c> or <c>TryComplete(...)</c>.</summary>
    public bool IsWriterCompletion(IInvocationOperation invocation, ISymbol holder) =>
        invocation.TargetMethod.Name is "Complete" or "TryComplete"
        && KnownSymbols.Is(invocation.TargetMethod.ContainingType.OriginalDefinition, Writer)
        && SymbolEqualityComparer.Default.Equals(GetHolder(invocation.Instance, "Writer"), holder);
}
