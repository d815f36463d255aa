using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Reflection.Metadata;

namespace Leakproof.Tool.Commands;

/// <summary>
/// Reads source files embedded in a portable PDB (<c>EmbedAllSources</c>): the demo's LeakLab ships its sources in its
/// PDB, so an installed tool shows the leaky lines on a machine without the repository.
/// </summary>
internal static class EmbeddedSource
{
    /// <summary>The custom debug information kind of an embedded source (Portable PDB format).</summary>
    private static readonly Guid s_embeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    /// <summary>Reads the lines of a document embedded in a portable PDB.</summary>
    /// <param name="pdbPath">The PDB.</param>
    /// <param name="document">The document's name as the PDB records it (the path a census reports).</param>
    /// <returns>The lines, or <see langword="null"/> when the PDB is missing or unreadable or does not embed the document.</returns>
    public static IReadOnlyList<string>? ReadLines(string pdbPath, string document)
    {
        try
        {
            using FileStream stream = File.OpenRead(pdbPath);
            using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
            MetadataReader reader = provider.GetMetadataReader();
            foreach (DocumentHandle handle in reader.Documents)
            {
                if (reader.GetString(reader.GetDocument(handle).Name) == document)
                {
                    return Embedded(reader, handle);
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidDataException)
        {
            return null;
        }
    }

    private static List<string>? Embedded(MetadataReader reader, DocumentHandle document)
    {
        foreach (CustomDebugInformationHandle handle in reader.GetCustomDebugInformation(document))
        {
            CustomDebugInformation information = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(information.Kind) != s_embeddedSourceKind)
            {
                continue;
            }

            // The blob: an int32 format (0: stored as is; otherwise the size once inflated), then the bytes.
            BlobReader blob = reader.GetBlobReader(information.Value);
            int format = blob.ReadInt32();
            var bytes = new MemoryStream(blob.ReadBytes(blob.RemainingBytes));
            using Stream text = format == 0 ? bytes : new DeflateStream(bytes, CompressionMode.Decompress);
            using var lines = new StreamReader(text, detectEncodingFromByteOrderMarks: true);
            var result = new List<string>();
            while (lines.ReadLine() is { } line)
            {
                result.Add(line);
            }

            return result;
        }

        return null;
    }
}
