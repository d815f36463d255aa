using System;
using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Metadata;

namespace Leakproof.Census.Analysis;

/// <summary>
/// Maps a live state machine's await state to a source line through the portable PDB (read by
/// <see cref="PortablePdbAwaits"/>), caching one reader per module and the lines per <c>MoveNext</c>.
/// </summary>
internal sealed class AwaitSiteResolver
{
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

    private AwaitLines? Load(MethodInfo moveNext) =>
        _pdbs.GetOrAdd(moveNext.Module, OpenPdb) is { } pdb && PortablePdbAwaits.ReadAwaitLines(pdb, moveNext.MetadataToken) is { } sites
            ? new AwaitLines(sites)
            : null;

    // The reader stays open for the life of the process (the resolver is shared).
    private static MetadataReaderProvider? OpenPdb(Module module) => PortablePdbAwaits.Open(module.Assembly.Location);

    /// <summary>The source line of each await state of one <c>MoveNext</c>.</summary>
    private sealed record AwaitLines((string File, int Line)[] Sites);
}
