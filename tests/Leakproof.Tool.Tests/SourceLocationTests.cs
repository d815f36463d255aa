using System.IO;
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
    public void Locate_MissingFile_IsNull()
    {
        Assert.Null(DemoCommand.Locate("/_/samples/LeakLab/NoSuchFile.cs"));
        Assert.Null(DemoCommand.Locate("/no/such/folder/File.cs"));
    }
}
