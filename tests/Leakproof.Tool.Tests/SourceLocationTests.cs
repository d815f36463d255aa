using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using Leakproof.Tool.Commands;

namespace Leakproof.Tool.Tests;

/// <summary>The demo shows each leaky await line's source, also from a deterministic (CI) build whose PDBs say <c>/_/</c>.</summary>
public sealed class SourceLocationTests
{
    [Fact]
    public void Locate_DeterministicPath_FindsTheFileAboveTheTool()
    {
        string? path = DemoCommand.Locate("/_/samples/LeakLab/Program.cs");

        Assert.NotNull(path);
        Assert.True(File.Exists(path), path);
        Assert.EndsWith(Path.Combine("samples", "LeakLab", "Program.cs"), path, System.StringComparison.Ordinal);
    }

    [Fact]
    public void EmbeddedSource_LeakLabsPdbCarriesItsSources_SoAnInstalledToolShowsTheLeakyLine()
    {
        string pdb = Path.Combine(AppContext.BaseDirectory, "LeakLab.pdb");
        string document = DocumentsOf(pdb).Single(d => d.EndsWith("LeakyQueryClient.cs", StringComparison.Ordinal));
        string? onDisk = DemoCommand.Locate(document);

        IReadOnlyList<string>? embedded = EmbeddedSource.ReadLines(pdb, document);

        Assert.NotNull(embedded);
        Assert.Contains("LEAK-SITE", embedded[19], StringComparison.Ordinal); // line 20, the site the demo reports
        Assert.NotNull(onDisk);
        Assert.Equal(File.ReadAllLines(onDisk), embedded);
        Assert.Null(EmbeddedSource.ReadLines(pdb, "/no/such/Document.cs"));
        Assert.Null(EmbeddedSource.ReadLines(Path.Combine(AppContext.BaseDirectory, "NoSuch.pdb"), document));
    }

    [Fact]
    public void Locate_MissingFile_IsNull()
    {
        Assert.Null(DemoCommand.Locate("/_/samples/LeakLab/NoSuchFile.cs"));
        Assert.Null(DemoCommand.Locate("/no/such/folder/File.cs"));
    }

    private static List<string> DocumentsOf(string pdb)
    {
        using FileStream stream = File.OpenRead(pdb);
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        MetadataReader reader = provider.GetMetadataReader();
        return [.. reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name))];
    }
}
