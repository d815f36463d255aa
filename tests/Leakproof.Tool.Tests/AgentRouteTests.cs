using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Census.Tests.Support;

namespace Leakproof.Tool.Tests;

/// <summary>ps, census, watch and diff against a real LeakLab child serving its leaks with the agent.</summary>
public sealed class AgentRouteTests
{
    [Fact]
    public async Task Census_ThroughTheAgent_FindsLeakSitesWithLinesAndValidatesAgainstTheSchema()
    {
        await using TargetChild child = await TargetChild.StartAsync();
        string file = Path.Combine(Path.GetTempPath(), $"leakproof-tool-{Guid.NewGuid():N}.json");
        try
        {
            var (code, output, error) = await ToolRunner.RunAsync("census", "-p", child.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "json", "--output", file, "--route", "agent", "--fail-on-leaks");

            Assert.True(code == 1, $"exit {code}: {error}");
            Assert.Contains("by the agent route", output, StringComparison.Ordinal);
            string json = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            using JsonDocument schema = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "census.schema.json"), TestContext.Current.CancellationToken));
            using JsonDocument document = JsonDocument.Parse(json);
            Assert.Empty(new MiniJsonSchema(schema.RootElement).Validate(document.RootElement));
            CensusSnapshot snapshot = CensusSnapshot.FromJson(json);
            Assert.Equal(child.ProcessId, snapshot.Process.ProcessId);
            Assert.Contains(snapshot.Groups, g => g.Site?.File?.EndsWith("LeakyQueryClient.cs", StringComparison.Ordinal) == true && g.Site.Line == 20);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + ".*.tmp"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Census_AsARealProcess_PrintsTheTextReport()
    {
        await using TargetChild child = await TargetChild.StartAsync();

        var (code, output, error) = await ToolRunner.RunProcessAsync("census", "-p", child.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains("LeakyJobRunner.cs:23", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ps_ListsTheChild_WithTheAgent()
    {
        await using TargetChild child = await TargetChild.StartAsync(rounds: 1);

        var (code, output, _) = await ToolRunner.RunAsync("ps");

        Assert.Equal(0, code);
        string line = Assert.Single(output.Split('\n'), l => l.TrimStart().StartsWith(child.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ", StringComparison.Ordinal));
        Assert.Contains("LeakLab", line, StringComparison.Ordinal);
        Assert.EndsWith("yes", line.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains(output.Split('\n'), l => l.Contains("Leakproof.Tool", StringComparison.Ordinal) || l.Contains("Leakproof.Tool.Tests", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_OnTheChild_FlagsGrowingSites()
    {
        await using TargetChild child = await TargetChild.StartAsync(rounds: 1);

        var (code, output, error) = await ToolRunner.RunAsync(WatchFiveSeconds(child));

        Assert.True(code == 1, $"exit {code}: {error}\n{output}");
        Assert.Contains("GROWING", output, StringComparison.Ordinal);
        Assert.Contains("Async: <QueryAsync>", output, StringComparison.Ordinal);
        Assert.Contains("suspects: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_OnATerminal_RedrawsALiveTableThatFlagsGrowingSites()
    {
        await using TargetChild child = await TargetChild.StartAsync(rounds: 1);

        var (code, output, error) = await ToolRunner.RunOnTerminalAsync(WatchFiveSeconds(child));

        Assert.True(code == 1, $"exit {code}: {error}\n{output}");

        // A Spectre table (box-drawn, with its columns), redrawn in place: the cursor moves back up over the last frame.
        Assert.Contains("pending", output, StringComparison.Ordinal);
        Assert.Contains("site", output, StringComparison.Ordinal);
        Assert.Contains("─", output, StringComparison.Ordinal);
        Assert.Matches(@"\u001b\[\d*A", output);
        Assert.Matches(@"#\d+: \d+ pending, \d+ begun/s", output);
        Assert.Contains("Async: <QueryAsync>", output, StringComparison.Ordinal);
        Assert.Contains("growing", output, StringComparison.Ordinal);
        Assert.DoesNotContain("GROWING", output, StringComparison.Ordinal); // the redirected form's plain lines are not used
        Assert.Contains("suspects: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_OfTwoCensuses_ShowsTheLeakySitesGrowing()
    {
        await using TargetChild child = await TargetChild.StartAsync(rounds: 1);
        string pid = child.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string a = Path.Combine(Path.GetTempPath(), $"leakproof-a-{Guid.NewGuid():N}.json");
        string b = Path.Combine(Path.GetTempPath(), $"leakproof-b-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(0, (await ToolRunner.RunAsync("census", "-p", pid, "-f", "json", "-o", a)).Code);
            CensusSnapshot first = CensusSnapshot.FromJson(await File.ReadAllTextAsync(a, TestContext.Current.CancellationToken));
            CensusSnapshot second;
            int attempts = 0;
            do
            {
                Assert.True(++attempts <= 20, "LeakyJobRunner's leaks did not grow in 20 censuses");
                Assert.Equal(0, (await ToolRunner.RunAsync("census", "-p", pid, "-f", "json", "-o", b)).Code);
                second = CensusSnapshot.FromJson(await File.ReadAllTextAsync(b, TestContext.Current.CancellationToken));
            }
            while (Count(second, "LeakyJobRunner.cs") <= Count(first, "LeakyJobRunner.cs"));

            var (code, output, _) = await ToolRunner.RunAsync("diff", a, b);
            var (jsonCode, json, _) = await ToolRunner.RunAsync("diff", a, b, "--format", "json");

            Assert.Equal(0, code);
            Assert.Contains(output.Split('\n').SkipWhile(l => !l.StartsWith("grew", StringComparison.Ordinal)).TakeWhile(l => l.Length > 0), l => l.Contains("LeakyJobRunner.cs:23", StringComparison.Ordinal));
            Assert.Equal(0, jsonCode);
            using JsonDocument document = JsonDocument.Parse(json);
            Assert.Contains(document.RootElement.GetProperty("sites").EnumerateArray(), s => s.GetProperty("change").GetString() == "grew" && s.GetProperty("site").GetString()!.Contains("LeakyJobRunner.cs:23", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(a);
            File.Delete(b);
        }

        static int Count(CensusSnapshot s, string file) => s.Groups.Where(g => g.Site?.File?.EndsWith(file, StringComparison.Ordinal) == true).Sum(g => g.Count);
    }

    [Fact]
    public async Task Demo_EndToEnd_PrintsEachLeakySiteWithFileAndLine()
    {
        var (code, output, error) = await ToolRunner.RunProcessAsync("demo");

        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        foreach (string site in new[] { "LeakyQueryClient.cs:20", "LeakyJobRunner.cs:23", "LeakyDashboard.cs:25", "LeakyReportService.cs:15", "LeakyStreamHandler.cs:21", "LeakyBatchExporter.cs:18" })
        {
            Assert.Contains(site, output, StringComparison.Ordinal);
        }

        Assert.Contains("LEAK-SITE", output, StringComparison.Ordinal);
    }

    /// <summary>Watches the child for five 1 s intervals, flagging a site that grew two in a row, exit code 1 on suspects.</summary>
    private static string[] WatchFiveSeconds(TargetChild child) =>
        ["watch", "-p", child.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "5s", "--interval", "1s", "--grow-intervals", "2", "--fail-on-leaks"];
}
