using System;
using System.Collections.Generic;
using System.Reflection.Metadata;
using Leakproof.Census.Analysis;

namespace Leakproof.HeapCensus.Internal;

/// <summary>
/// Maps an async method's await state in a dump to a source line through the portable PDB beside its module (read by
/// the in-process census's <see cref="PortablePdbAwaits"/>, so both censuses give the same line), cached per module
/// path and <c>MoveNext</c> token.
/// </summary>
internal sealed class PdbAwaitLines : IDisposable
{
    private readonly Dictionary<string, MetadataReaderProvider?> _pdbs = new(StringComparer.Ordinal);

    private readonly Dictionary<(string Module, int Token), (string File, int Line)[]?> _methods = [];

    /// <summary>Tells whether a PDB was found for a module.</summary>
    /// <param name="modulePath">The module's file path.</param>
    /// <returns><see langword="true"/> when one was found.</returns>
    public bool HasPdb(string modulePath) => Open(modulePath) is not null;

    /// <summary>Finds the file and line of an await.</summary>
    /// <param name="modulePath">The module's file path.</param>
    /// <param name="moveNextToken">The metadata token of the state machine's <c>MoveNext</c>.</param>
    /// <param name="state">The await state.</param>
    /// <returns>The site, or <see langword="null"/> when the PDB or the state is unknown.</returns>
    public (string File, int Line)? Resolve(string modulePath, int moveNextToken, int state)
    {
        if (state < 0)
        {
            return null;
        }

        if (!_methods.TryGetValue((modulePath, moveNextToken), out (string File, int Line)[]? sites))
        {
            sites = Load(modulePath, moveNextToken);
            _methods.Add((modulePath, moveNextToken), sites);
        }

        return sites is not null && state < sites.Length && sites[state].Line > 0 ? sites[state] : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (MetadataReaderProvider? provider in _pdbs.Values)
        {
            provider?.Dispose();
        }

        _pdbs.Clear();
    }

    private (string File, int Line)[]? Load(string modulePath, int token) =>
        Open(modulePath) is { } pdb ? PortablePdbAwaits.ReadAwaitLines(pdb, token) : null;

    private MetadataReaderProvider? Open(string modulePath)
    {
        if (_pdbs.TryGetValue(modulePath, out MetadataReaderProvider? provider))
        {
            return provider;
        }

        provider = PortablePdbAwaits.Open(modulePath); // Owned by this resolver, disposed with it.
        _pdbs.Add(modulePath, provider);
        return provider;
    }
}
