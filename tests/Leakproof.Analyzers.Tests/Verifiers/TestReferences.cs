using System;
using System.Collections.Immutable;
using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Leakproof.Analyzers.Tests.Verifiers;

/// <summary>
/// Compiles test sources against the running runtime's own assemblies (plus Leakproof and Hosting.Abstractions,
/// which this test app references), so tests never download reference packs.
/// </summary>
internal static class TestReferences
{
    /// <summary>The usings every test source starts with (one line, so markup line numbers stay readable).</summary>
    public const string Usings =
        "using System; using System.Collections.Generic; using System.Linq; using System.Threading; using System.Threading.Tasks; using System.Threading.Channels; using Leakproof;\n";

    public static readonly ReferenceAssemblies None = new("net10.0");

    public static readonly ImmutableArray<MetadataReference> All = Load();

    private static ImmutableArray<MetadataReference> Load()
    {
        string paths = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (string path in paths.Split(Path.PathSeparator))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "netstandard" or "mscorlib" or "Leakproof"
                || name.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.Extensions.DependencyInjection.Abstractions", StringComparison.Ordinal)
                || name == "Microsoft.Win32.Primitives")
            {
                builder.Add(MetadataReference.CreateFromFile(path));
            }
        }

        return builder.ToImmutable();
    }
}
