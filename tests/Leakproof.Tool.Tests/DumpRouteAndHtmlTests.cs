using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Census.Tests.Support;

namespace Leakproof.Tool.Tests;

/// <summary>The heap-dump route and the HTML format, end to end through the tool against a real LeakLab child.</summary>
public sealed class DumpRouteAndHtmlTests
{
    [Fact]
    public async Task Census_ThroughAHeapDump_FindsLeakSitesWithLines_AndRemovesTheDump()
    {
        await using TargetChild child = await TargetChild.StartAsync();
        string folder = Directory.CreateTempSubdirectory("leakproof-tool-dump-").FullName;
        string file = Path.Combine(Path.GetTempPath(), $"leakproof-tool-{Guid.NewGuid():N}.json");
        try
        {
            var (code, output, error) = await ToolRunner.RunAsync(
                "census", "-p", child.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--route", "dump", "--dump-dir", folder, "-f", "json", "-o", file);

            Assert.True(code == 0, $"exit {code}: {error}");
            Assert.Contains("by the dump route", output, StringComparison.Ordinal);
            string json = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            using JsonDocument schema = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "census.schema.json"), TestContext.Current.CancellationToken));
            using JsonDocument document = JsonDocument.Parse(json);
            Assert.Empty(new MiniJsonSchema(schema.RootElement).Validate(document.RootElement));
            CensusSnapshot snapshot = CensusSnapshot.FromJson(json);
            Assert.Equal("heap-dump", snapshot.Source);
            Assert.Contains(snapshot.Groups, g => g.Site?.File?.EndsWith("LeakyQueryClient.cs", StringComparison.Ordinal) == true && g.Site.Line == 20);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            File.Delete(file);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Census_ThroughAHeapDump_AsText_ListsEachLeakSiteOnceWithItsCount_AndRemovesTheDump()
    {
        await using TargetChild child = await TargetChild.StartAsync();
        string folder = Directory.CreateTempSubdirectory("leakproof-tool-dump-").FullName;
        try
        {
            var (code, output, error) = await ToolRunner.RunAsync(
                "census", "-p", child.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--route", "dump", "--dump-dir", folder);

            // The default text report is grouped: the census lists no operation, and the header counts them from the groups.
            Assert.True(code == 0, $"exit {code}: {error}");
            Assert.StartsWith("census: ", output, StringComparison.Ordinal);
            Assert.DoesNotContain("census: 0 pending", output, StringComparison.Ordinal);
            Assert.Contains("(source heap-dump", output, StringComparison.Ordinal);
            Assert.Matches(@"\n\d+ @ LeakLab\.[^\n]*LeakyQueryClient\.cs:20 \[", output);
            Assert.DoesNotContain("\noperation ", output, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Census_AsHtml_WritesOneSelfContainedPageWithTheLeakSites()
    {
        await using TargetChild child = await TargetChild.StartAsync();
        string file = Path.Combine(Path.GetTempPath(), $"leakproof-tool-{Guid.NewGuid():N}.html");
        try
        {
            var (code, _, error) = await ToolRunner.RunAsync("census", "-p", child.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "html", "-o", file);

            Assert.True(code == 0, $"exit {code}: {error}");
            string html = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("LeakyQueryClient.cs", html, StringComparison.Ordinal);
            Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
