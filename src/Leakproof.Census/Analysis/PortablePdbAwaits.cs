using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Leakproof.Census.Analysis;

/// <summary>
/// Reads await lines from a portable PDB, for the in-process census (<see cref="AwaitSiteResolver"/>) and the heap-dump
/// census alike: the async stepping information of <c>MoveNext</c> lists one (yield, resume) offset pair per await,
/// and the await's line is the last visible sequence point at or before the yield offset.
/// </summary>
internal static class PortablePdbAwaits
{
    /// <summary>The line number the compiler gives hidden sequence points.</summary>
    private const int HiddenLine = 0xfeefee;

    /// <summary>The custom debug information kind of async method stepping information.</summary>
    private static readonly Guid s_stateMachineSteppingKind = new("54FD2AC5-E925-401A-9C2A-F94F171072F8");

    /// <summary>Opens the PDB of a module: the <c>.pdb</c> beside it, else the one its debug directory names or embeds.</summary>
    /// <param name="modulePath">The module's file path.</param>
    /// <returns>The reader (owned by the caller), or <see langword="null"/> when there is no readable PDB.</returns>
    public static MetadataReaderProvider? Open(string? modulePath)
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
#pragma warning disable CA2000 // The provider owns the stream; the caller owns the provider.
                return MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath));
#pragma warning restore CA2000
            }

            using var pe = new PEReader(File.OpenRead(modulePath));
            return pe.TryOpenAssociatedPortablePdb(modulePath, path => File.Exists(path) ? File.OpenRead(path) : null, out MetadataReaderProvider? provider, out _)
                ? provider
                : null;
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            return null;
        }
    }

    /// <summary>Reads the source line of each await state of one <c>MoveNext</c>.</summary>
    /// <param name="pdb">The module's PDB.</param>
    /// <param name="moveNextToken">The metadata token of <c>MoveNext</c>.</param>
    /// <returns>One site per await state (line 0 when unknown), or <see langword="null"/> when the method has no await information.</returns>
    public static (string File, int Line)[]? ReadAwaitLines(MetadataReaderProvider pdb, int moveNextToken)
    {
        try
        {
            MetadataReader reader = pdb.GetMetadataReader();
            var handle = (MethodDefinitionHandle)MetadataTokens.EntityHandle(moveNextToken);
            List<int>? yields = ReadYieldOffsets(reader, handle);
            if (yields is null)
            {
                return null;
            }

            var points = new List<(int Offset, int Line, DocumentHandle Document)>();
            foreach (SequencePoint point in reader.GetMethodDebugInformation(handle).GetSequencePoints())
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

                    sites[i] = (reader.GetString(reader.GetDocument(document).Name), line);
                }
            }

            return sites;
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            return null; // A damaged or foreign PDB costs the line, never the census.
        }
    }

    private static bool IsUnreadable(Exception ex) =>
        ex is BadImageFormatException or IOException or InvalidOperationException or ArgumentException or UnauthorizedAccessException;

    private static List<int>? ReadYieldOffsets(MetadataReader pdb, MethodDefinitionHandle handle)
    {
        foreach (CustomDebugInformationHandle cdiHandle in pdb.GetCustomDebugInformation(handle))
        {
            CustomDebugInformation cdi = pdb.GetCustomDebugInformation(cdiHandle);
            if (pdb.GetGuid(cdi.Kind) != s_stateMachineSteppingKind)
            {
                continue;
            }

            BlobReader blob = pdb.GetBlobReader(cdi.Value);
            _ = blob.ReadUInt32(); // The catch handler offset; not needed for lines.
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
}
