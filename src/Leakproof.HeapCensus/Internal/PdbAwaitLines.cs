using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Leakproof.HeapCensus.Internal;

/// <summary>
/// Maps an async method's await state to a source line through the portable PDB beside its module: the async
/// stepping information of <c>MoveNext</c> lists one (yield, resume) offset pair per await, and the await's line is
/// the last visible sequence point at or before the yield offset (the same rule as the in-process census).
/// </summary>
internal sealed class PdbAwaitLines : IDisposable
{
    /// <summary>The line number the compiler gives hidden sequence points.</summary>
    private const int HiddenLine = 0xfeefee;

    /// <summary>The custom debug information kind of async method stepping information.</summary>
    private static readonly Guid s_steppingKind = new("54FD2AC5-E925-401A-9C2A-F94F171072F8");

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

    private (string File, int Line)[]? Load(string modulePath, int token)
    {
        try
        {
            if (Open(modulePath) is not { } provider)
            {
                return null;
            }

            MetadataReader pdb = provider.GetMetadataReader();
            var handle = (MethodDefinitionHandle)MetadataTokens.EntityHandle(token);
            List<int>? yields = ReadYieldOffsets(pdb, handle);
            if (yields is null)
            {
                return null;
            }

            var points = new List<(int Offset, int Line, DocumentHandle Document)>();
            foreach (SequencePoint point in pdb.GetMethodDebugInformation(handle).GetSequencePoints())
            {
                if (!point.IsHidden && point.StartLine != HiddenLine)
                {
                    points.Add((point.Offset, point.StartLine, point.Document));
                }
            }

            var sites = new (string File, int Line)[yields.Count];
            for (int i = 0; i < yields.Count; i++)
            {
                sites[i] = (string.Empty, 0);
                foreach ((int offset, int line, DocumentHandle document) in points)
                {
                    if (offset > yields[i])
                    {
                        break;
                    }

                    sites[i] = (pdb.GetString(pdb.GetDocument(document).Name), line);
                }
            }

            return sites;
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException or InvalidOperationException or ArgumentException or UnauthorizedAccessException)
        {
            return null; // A damaged or foreign PDB costs the line, never the census.
        }
    }

    private static List<int>? ReadYieldOffsets(MetadataReader pdb, MethodDefinitionHandle handle)
    {
        foreach (CustomDebugInformationHandle cdiHandle in pdb.GetCustomDebugInformation(handle))
        {
            CustomDebugInformation cdi = pdb.GetCustomDebugInformation(cdiHandle);
            if (pdb.GetGuid(cdi.Kind) != s_steppingKind)
            {
                continue;
            }

            BlobReader blob = pdb.GetBlobReader(cdi.Value);
            _ = blob.ReadUInt32(); // The catch handler offset.
            var yields = new List<int>();
            while (blob.RemainingBytes > 0)
            {
                yields.Add((int)blob.ReadUInt32());
                _ = blob.ReadUInt32(); // The resume offset.
                _ = blob.ReadCompressedInteger(); // The MoveNext method row.
            }

            return yields;
        }

        return null;
    }

    private MetadataReaderProvider? Open(string modulePath)
    {
        if (_pdbs.TryGetValue(modulePath, out MetadataReaderProvider? provider))
        {
            return provider;
        }

        provider = OpenCore(modulePath);
        _pdbs.Add(modulePath, provider);
        return provider;
    }

    private static MetadataReaderProvider? OpenCore(string modulePath)
    {
        try
        {
            if (string.IsNullOrEmpty(modulePath) || !File.Exists(modulePath))
            {
                return null;
            }

            string pdbPath = Path.ChangeExtension(modulePath, ".pdb");
            if (File.Exists(pdbPath))
            {
#pragma warning disable CA2000 // The provider owns the stream and is disposed with this resolver.
                return MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath));
#pragma warning restore CA2000
            }

            using var pe = new PEReader(File.OpenRead(modulePath));
            return pe.TryOpenAssociatedPortablePdb(modulePath, path => File.Exists(path) ? File.OpenRead(path) : null, out MetadataReaderProvider? associated, out _)
                ? associated
                : null;
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException or InvalidOperationException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
