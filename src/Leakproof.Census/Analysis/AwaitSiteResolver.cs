using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Leakproof.Census.Analysis;

/// <summary>
/// Maps a state machine's await state to a source line through the portable PDB: the async stepping information
/// of <c>MoveNext</c> lists one (yield, resume) offset pair per await, and the await's line is the last visible
/// sequence point at or before the yield offset.
/// </summary>
internal sealed class AwaitSiteResolver
{
    /// <summary>The line number the compiler gives hidden sequence points.</summary>
    private const int HiddenLine = 0xfeefee;

    /// <summary>The custom debug information kind of async method stepping information.</summary>
    private static readonly Guid s_stateMachineSteppingKind = new("54FD2AC5-E925-401A-9C2A-F94F171072F8");

    /// <summary>One PDB reader per module, or <see langword="null"/> when the module has no readable PDB.</summary>
    private readonly ConcurrentDictionary<Module, MetadataReaderProvider?> _pdbs = new();

    /// <summary>Await lines per <c>MoveNext</c> method, or <see langword="null"/> when the method has none.</summary>
    private readonly ConcurrentDictionary<MethodInfo, AwaitLines?> _methods = new();

    /// <summary>Gets the shared resolver; PDB readers stay open for the life of the process.</summary>
    public static AwaitSiteResolver Shared { get; } = new();

    /// <summary>Finds the source line of a state machine's await.</summary>
    /// <param name="stateMachineType">The compiler-generated state machine type.</param>
    /// <param name="state">The await state (0 for the first await).</param>
    /// <returns>The file and line, or <see langword="null"/> when the PDB or the state is unknown.</returns>
    public (string File, int Line)? Resolve(Type stateMachineType, int state)
    {
        if (state < 0)
        {
            return null;
        }

        MethodInfo? moveNext = stateMachineType.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, Type.EmptyTypes);
        if (moveNext is null)
        {
            return null;
        }

        AwaitLines? lines = _methods.GetOrAdd(moveNext, Load);
        if (lines is null || state >= lines.Sites.Length)
        {
            return null;
        }

        (string File, int Line) site = lines.Sites[state];
        return site.Line > 0 ? site : null;
    }

    /// <summary>Tells whether a PDB was found for the module that defines <paramref name="type"/>.</summary>
    /// <param name="type">A type of the module.</param>
    /// <returns><see langword="true"/> if source lines can be resolved for the module.</returns>
    public bool HasPdb(Type type) => _pdbs.GetOrAdd(type.Module, OpenPdb) is not null;

    private AwaitLines? Load(MethodInfo moveNext)
    {
        try
        {
            MetadataReaderProvider? provider = _pdbs.GetOrAdd(moveNext.Module, OpenPdb);
            if (provider is null)
            {
                return null;
            }

            MetadataReader pdb = provider.GetMetadataReader();
            var handle = (MethodDefinitionHandle)MetadataTokens.EntityHandle(moveNext.MetadataToken);
            List<int>? yields = ReadYieldOffsets(pdb, handle);
            if (yields is null)
            {
                return null;
            }

            MethodDebugInformation info = pdb.GetMethodDebugInformation(handle);
            var points = new List<(int Offset, int Line, string File)>();
            foreach (SequencePoint point in info.GetSequencePoints())
            {
                if (!point.IsHidden && point.StartLine != HiddenLine)
                {
                    points.Add((point.Offset, point.StartLine, pdb.GetString(pdb.GetDocument(point.Document).Name)));
                }
            }

            var sites = new (string File, int Line)[yields.Count];
            for (int i = 0; i < yields.Count; i++)
            {
                sites[i] = (string.Empty, 0);
                foreach ((int offset, int line, string file) in points)
                {
                    if (offset > yields[i])
                    {
                        break;
                    }

                    sites[i] = (file, line);
                }
            }

            return new AwaitLines(sites);
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

    private static MetadataReaderProvider? OpenPdb(Module module)
    {
        try
        {
            string location = module.Assembly.Location;
            if (string.IsNullOrEmpty(location))
            {
                return null;
            }

            string pdbPath = Path.ChangeExtension(location, ".pdb");
            if (File.Exists(pdbPath))
            {
                // The provider owns the stream and keeps it open for the life of the process (the resolver is shared).
#pragma warning disable CA2000 // The provider owns the stream (it is disposed with the provider, which lives as long as the process).
                return MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath));
#pragma warning restore CA2000
            }

            using var pe = new PEReader(File.OpenRead(location));
            return pe.TryOpenAssociatedPortablePdb(location, path => File.Exists(path) ? File.OpenRead(path) : null, out MetadataReaderProvider? provider, out _)
                ? provider
                : null;
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException or InvalidOperationException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The source line of each await state of one <c>MoveNext</c>.</summary>
    private sealed record AwaitLines((string File, int Line)[] Sites);
}
