using System;
using System.IO;
using System.Threading.Tasks;

namespace Leakproof.Tool.Tests;

/// <summary>Every failure the tool can be made to produce deterministically: one stderr line, the documented code.</summary>
public sealed class ExitCodeTests
{
    [Theory]
    [InlineData("census", "--bogus")]
    [InlineData("census", "-p", "12", "-n", "x")]
    [InlineData("census")]
    [InlineData("census", "-p", "0")]
    [InlineData("census", "-p", "1", "--format", "pdf")]
    [InlineData("watch", "-p", "1", "--interval", "soon")]
    [InlineData("diff", "only-one.json")]
    [InlineData("nonsense")]
    public async Task UsageErrors_Exit2_WithOneLine(params string[] args)
    {
        var (code, output, error) = await ToolRunner.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("dotnet-leakproof: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSuchProcess_Exits3()
    {
        var (code, _, error) = await ToolRunner.RunAsync("census", "-p", "2147483646");

        Assert.Equal(3, code);
        Assert.Equal("dotnet-leakproof: no process with id 2147483646 is running\n", error);
    }

    [Fact]
    public async Task NotADotnetProcess_Exits3()
    {
        var (code, _, error) = await ToolRunner.RunAsync("census", "-p", "1");

        Assert.Equal(3, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains("not a .NET process", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSuchName_Exits3()
    {
        var (code, _, error) = await ToolRunner.RunAsync("census", "-n", "no-such-leakproof-process");

        Assert.Equal(3, code);
        Assert.Contains("no .NET process named", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptJson_Exits2_WithOneLine()
    {
        string bad = Path.Combine(Path.GetTempPath(), $"leakproof-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bad, "{ \"schemaVersion\": ", TestContext.Current.CancellationToken);
        try
        {
            var (code, output, error) = await ToolRunner.RunAsync("diff", bad, bad);

            Assert.Equal(2, code);
            Assert.Equal(string.Empty, output);
            Assert.Single(error.TrimEnd('\n').Split('\n'));
            Assert.Contains("is not a census JSON file", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public async Task Diff_ReadsSchemaVersions1And2_RefusesALaterOneWithOneLine()
    {
        string v1 = Path.Combine(Path.GetTempPath(), $"leakproof-v1-{Guid.NewGuid():N}.json");
        string v3 = Path.Combine(Path.GetTempPath(), $"leakproof-v3-{Guid.NewGuid():N}.json");
        const string Document = """{"schemaVersion": VERSION, "process": {"processId": 1}, "capturedAt": "2026-11-23T00:00:00+00:00", "source": "heap-dump", "warnings": [], "groups": [{"key": "k", "kind": "Delay", "count": 2, "oldestAgeSeconds": 0, "youngestAgeSeconds": 0, "operationIds": [1, 2]}], "chains": [], "operations": [], "abandoned": []}""";
        await File.WriteAllTextAsync(v1, Document.Replace("VERSION", "1", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(v3, Document.Replace("VERSION", "3", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        try
        {
            var (code, output, error) = await ToolRunner.RunAsync("diff", v1, v1);
            Assert.True(code == 0, $"exit {code}: {error}");
            Assert.Contains("2 -> 2 pending operations", output, StringComparison.Ordinal);

            (code, output, error) = await ToolRunner.RunAsync("diff", v1, v3);
            Assert.Equal(2, code);
            Assert.Equal(string.Empty, output);
            Assert.Single(error.TrimEnd('\n').Split('\n'));
            Assert.Contains("schema version 3; this tool reads versions 1 to 2", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(v1);
            File.Delete(v3);
        }
    }

    [Fact]
    public async Task MissingFile_Exits2()
    {
        var (code, _, error) = await ToolRunner.RunAsync("diff", "/nonexistent/a.json", "/nonexistent/b.json");

        Assert.Equal(2, code);
        Assert.Contains("cannot read", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HeapCensus.HeapCensusError.ProcessNotFound, 3)]
    [InlineData(HeapCensus.HeapCensusError.NotDotNet, 3)]
    [InlineData(HeapCensus.HeapCensusError.CannotAttach, 3)]
    [InlineData(HeapCensus.HeapCensusError.ProcessExited, 3)]
    [InlineData(HeapCensus.HeapCensusError.PermissionDenied, 3)]
    [InlineData(HeapCensus.HeapCensusError.NoDiskSpace, 3)]
    [InlineData(HeapCensus.HeapCensusError.Unsupported, 4)]
    [InlineData(HeapCensus.HeapCensusError.CorruptDump, 5)]
    public void DumpRoute_Failures_MapToTheDocumentedExitCodes(HeapCensus.HeapCensusError error, int code) =>
        Assert.Equal(code, Routes.DumpCensusRoute.ExitCodeOf(error));

    [Fact]
    public async Task DumpRoute_OnANonDotnetProcess_Exits3WithOneLine()
    {
        using var sleeper = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        try
        {
            var (code, _, error) = await ToolRunner.RunAsync("census", "-p", sleeper.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--route", "dump");

            Assert.Equal(3, code);
            Assert.Single(error.Trim().Split('\n'));
        }
        finally
        {
            sleeper.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task AgentRoute_OnAProcessWithoutTheAgent_Exits3()
    {
        // The test process itself is a .NET process without the agent.
        var (code, _, error) = await ToolRunner.RunAsync("census", "-p", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--route", "agent");

        Assert.Equal(3, code);
        Assert.Contains("agent is not running", error, StringComparison.Ordinal);
    }
}
