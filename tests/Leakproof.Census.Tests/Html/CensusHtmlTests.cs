using System;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Leakproof.Census.Output;
using Leakproof.Census.Tests.Support;

namespace Leakproof.Census.Tests.Html;

[Collection(ProcessCensusCollection.Name)]
public sealed partial class CensusHtmlTests
{
    public CensusHtmlTests() => AsyncCensus.Enable();

    [Fact]
    public void ToHtml_HostileNames_AreEncodedEverywhere()
    {
        const string Hostile = "Ns.<Run>d__1<script>alert('x')</script>&\"";
        var frame = new CensusFrame { Method = Hostile, File = "/src/<a>.cs", Line = 7, State = 0 };
        var census = new CensusSnapshot
        {
            Process = new CensusProcessInfo { ProcessName = "<proc>" },
            Source = "runtime-registry",
            Warnings = ["<b>missing</b> field"],
            Groups = [new CensusGroup { Key = Hostile + "#0", Site = frame, Count = 1, Kind = PendingOperationKind.AsyncMethod, Awaiting = new AwaitTarget { TypeName = "Task<int>" }, OperationIds = [1] }],
            Chains = [new CensusChainGroup { Frames = [frame, frame], Count = 1, OperationIds = [1] }],
            Operations = [new PendingOperation { Id = 1, Kind = PendingOperationKind.AsyncMethod, Description = Hostile, AwaitSite = frame }],
            Abandoned = [new AbandonedOperation { Method = Hostile, AwaitSite = frame, Owner = "<owner>" }],
        };

        string html = census.ToHtml();

        Assert.Equal(1, ScriptTag().Count(html)); // Only the page's own script.
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<proc>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<owner>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Task<int>", html, StringComparison.Ordinal);
        Assert.Contains("Ns.&lt;Run&gt;d__1&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;", html, StringComparison.Ordinal);
        Assert.Contains("/src/&lt;a&gt;.cs:7", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_Empty_ShowsPlaceholders()
    {
        string html = new CensusSnapshot { Source = "event-source" }.ToHtml();

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"no-groups\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"no-chains\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"no-abandoned\"", html, StringComparison.Ordinal);
        Assert.Equal(5, BarTag().Count(html));
    }

    [Theory]
    [InlineData("html")]
    [InlineData("section")]
    [InlineData("table")]
    [InlineData("tr")]
    [InlineData("td")]
    [InlineData("details")]
    [InlineData("ul")]
    [InlineData("li")]
    [InlineData("svg")]
    public async Task ToHtml_RealCensus_ClosesEveryElement(string tag)
    {
        var never = new TaskCompletionSource();
        Task pending = Shapes.OuterAsync(never.Task);
        string html = AsyncCensus.Capture().ToHtml();

        int opened = Regex.Count(html, $"<{tag}[ >]");
        int closed = Regex.Count(html, $"</{tag}>");

        Assert.True(opened > 0, $"no <{tag}> in the page");
        Assert.Equal(opened, closed);
        never.SetResult();
        await pending;
    }

    [Fact]
    public void ToHtml_NoExternalResources()
    {
        string html = new CensusSnapshot().ToHtml();

        Assert.DoesNotMatch(ExternalReference(), html);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(999, 0)]
    [InlineData(1_000, 1)]
    [InlineData(9_999, 1)]
    [InlineData(10_000, 2)]
    [InlineData(59_999, 2)]
    [InlineData(60_000, 3)]
    [InlineData(599_999, 3)]
    [InlineData(600_000, 4)]
    [InlineData(86_400_000, 4)]
    public void BucketOf_Age_FallsInDocumentedBucket(int milliseconds, int bucket) =>
        Assert.Equal(bucket, CensusHtmlWriter.BucketOf(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public async Task ToHtml_RealCensus_ShowsLeakSiteAndCountsEveryOperation()
    {
        _ = TestOwner.Begin();
        var never = new TaskCompletionSource();
        Task pending = Shapes.OuterAsync(never.Task);
        CensusSnapshot census = AsyncCensus.Capture(TestOwner.Capture());

        string html = census.ToHtml();

        Assert.Equal(census.Groups.Count, GroupRow().Count(html));
        Assert.Contains($"Shapes.cs:{Shapes.WaitLine}", html, StringComparison.Ordinal);
        int bars = BarCount().Matches(html).Sum(static m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(census.Operations.Count, bars);
        Assert.Equal(census.Chains.Count, Chain().Count(html));
        never.SetResult();
        await pending;
    }

    [GeneratedRegex("<script", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("data-testid=\"histogram-bar\"")]
    private static partial Regex BarTag();

    [GeneratedRegex("data-testid=\"histogram-bar\" data-bucket=\"[^\"]*\" data-count=\"(\\d+)\"")]
    private static partial Regex BarCount();

    [GeneratedRegex("data-testid=\"group-row\"")]
    private static partial Regex GroupRow();

    [GeneratedRegex("data-testid=\"chain\"")]
    private static partial Regex Chain();

    [GeneratedRegex("(src|href)\\s*=|https?://|@import|url\\(", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
