using System;
using System.IO;

namespace Leakproof.HeapCensus.Internal;

/// <summary>Names, sizes and deletes the temporary dump files.</summary>
internal static class DumpFiles
{
    /// <summary>The prefix of every dump file the census writes.</summary>
    public const string Prefix = "leakproof-heapcensus-";

    /// <summary>Creates a fresh dump path in <paramref name="directory"/> (the temporary directory when null).</summary>
    /// <param name="directory">The directory, or <see langword="null"/>.</param>
    /// <param name="processId">The target's id, for a readable name.</param>
    /// <returns>The full path (no file is created).</returns>
    public static string CreatePath(string? directory, int processId)
    {
        string folder = Path.GetFullPath(string.IsNullOrEmpty(directory) ? Path.GetTempPath() : directory);
        return Path.Combine(folder, $"{Prefix}{processId}-{Guid.NewGuid():N}.dmp");
    }

    /// <summary>Deletes a dump, best effort: a file that cannot be deleted must not hide the census or its error.</summary>
    /// <param name="path">The dump.</param>
    public static void Delete(string path)
    {
        try
        {
            File.Delete(path); // No error when the file was never written.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Still held open by the runtime's dump writer (Windows) or a directory we may not write: nothing more to do.
        }
    }

    /// <summary>Checks that the dump directory can hold a dump of about <paramref name="estimatedBytes"/>.</summary>
    /// <param name="availableBytes">The free space of the directory's drive.</param>
    /// <param name="estimatedBytes">The estimated dump size.</param>
    /// <returns><see langword="true"/> when the dump fits with a margin of an eighth.</returns>
    public static bool Fits(long availableBytes, long estimatedBytes) =>
        availableBytes >= estimatedBytes + (estimatedBytes / 8);
}
