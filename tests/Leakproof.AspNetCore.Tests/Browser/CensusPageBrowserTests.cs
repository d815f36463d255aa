using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Leakproof.AspNetCore.Tests.Support;
using Leakproof.Census;
using Microsoft.Playwright;

namespace Leakproof.AspNetCore.Tests.Browser;

/// <summary>
/// Loads the census page in headless Chromium: the report written to a file, and the page the endpoint serves.
/// Screenshots land in <c>artifacts/test-results/screenshots/</c>.
/// </summary>
public sealed class CensusPageBrowserTests
{
    public CensusPageBrowserTests() => AsyncCensus.Enable();

    private static string LeakSite => $"{Leaks.File}:{Leaks.ParkedLine}";

    [Fact]
    public async Task HtmlReport_FromRealLeaks_RendersSortsExpandsAndCharts()
    {
        Leaks leaks = Leaks.Start(parked: 3, nested: 1, lambdas: 1);
        CensusSnapshot census = AsyncCensus.Capture();
        string file = Path.Combine(Chromium.ScreenshotDirectory, "census-report.html");
        await File.WriteAllTextAsync(file, census.ToHtml());
        await using Chromium chromium = await Chromium.LaunchAsync();
        IPage page = await chromium.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);

        await page.GotoAsync(new Uri(file).AbsoluteUri);

        // Every group is a row, and the leak's await site (file:line) is on screen.
        Assert.Equal(census.Groups.Count, await page.Locator("[data-testid=group-row]").CountAsync());
        Assert.True(await page.Locator("td[data-column=line]", new() { HasTextString = LeakSite }).First.IsVisibleAsync(), $"{LeakSite} is not visible");

        // Grouping keys hold compiler-generated names with < and >: encoded, they reach the DOM unchanged, and the page
        // has no script but its own.
        Assert.Contains(census.Groups, static g => g.Site?.Line == Leaks.LambdaLine && g.Key.Contains("<<Start>", StringComparison.Ordinal));
        string[] keys = await page.Locator("[data-testid=group-row]").EvaluateAllAsync<string[]>("rs => rs.map(r => r.getAttribute('data-key'))");
        Assert.Equal(census.Groups.Select(static g => g.Key), keys);
        Assert.Equal(1, await page.Locator("script").CountAsync());

        await AssertSortsByCountAsync(page);
        await AssertSortsBySiteAsync(page);

        // The nested leak's chain opens to show its caller's frame.
        ILocator chain = page.Locator("details[data-testid=chain]", new() { Has = page.Locator("[data-testid=chain-frame]", new() { HasTextString = $"{Leaks.File}:{Leaks.CallerLine}" }) }).First;
        ILocator callerFrame = chain.Locator("[data-testid=chain-frame]").First;
        Assert.False(await callerFrame.IsVisibleAsync(), "the chain should start collapsed");
        await chain.Locator("summary").ClickAsync();
        Assert.True(await chain.EvaluateAsync<bool>("d => d.open"), "clicking the summary should open the chain");
        Assert.True(await callerFrame.IsVisibleAsync(), "the caller frame should show once the chain is open");

        // The histogram has its five buckets, they count every operation, and the drawn bars have height.
        ILocator bars = page.Locator("[data-testid=histogram-bar]");
        Assert.Equal(5, await bars.CountAsync());
        int[] counts = [.. (await bars.EvaluateAllAsync<string[]>("bs => bs.map(b => b.getAttribute('data-count'))")).Select(int.Parse)];
        Assert.Equal(census.Operations.Count, counts.Sum());
        double[] heights = await bars.EvaluateAllAsync<double[]>("bs => bs.map(b => b.getBoundingClientRect().height)");
        Assert.Contains(heights, static h => h > 0);

        // Self-contained: the file itself is the only request.
        Assert.All(requests, static url => Assert.StartsWith("file:", url, StringComparison.Ordinal));
        string screenshot = await Chromium.ScreenshotAsync(page, "census-report");
        Assert.True(new FileInfo(screenshot).Length > 0);
        await leaks.ReleaseAsync();
    }

    [Fact]
    public async Task Endpoint_OpenedInBrowser_ServesInteractivePage()
    {
        Leaks leaks = Leaks.Start(parked: 2, nested: 1);
        await using TestWebApp app = await TestWebApp.StartAsync(static a => a.MapLeakproofDiagnostics());
        await using Chromium chromium = await Chromium.LaunchAsync();
        IPage page = await chromium.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };

        IResponse? response = await page.GotoAsync(new Uri(app.Loopback, "/debug/leakproof").AbsoluteUri);

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
        Assert.True(await page.Locator("[data-testid=group-row]").CountAsync() > 0);
        Assert.True(await page.Locator("td[data-column=line]", new() { HasTextString = LeakSite }).First.IsVisibleAsync(), $"{LeakSite} is not visible");

        // The inline script runs under the endpoint's content security policy.
        await AssertSortsByCountAsync(page);
        Assert.Empty(consoleErrors);
        await Chromium.ScreenshotAsync(page, "census-endpoint");
        await leaks.ReleaseAsync();
    }

    private static async Task AssertSortsByCountAsync(IPage page)
    {
        double[] before = await ColumnAsync(page, "count");
        Assert.Equal(before.OrderByDescending(static c => c), before); // The census lists the largest group first.
        Assert.True(before.Distinct().Count() > 1, "the test needs groups of different sizes");

        await page.Locator("[data-testid=sort-count]").ClickAsync();
        double[] ascending = await ColumnAsync(page, "count");
        Assert.Equal(before.Order(), ascending);
        Assert.NotEqual(before, ascending);
        Assert.Equal("ascending", await page.Locator("[data-testid=sort-count]").GetAttributeAsync("aria-sort"));

        await page.Locator("[data-testid=sort-count]").ClickAsync();
        Assert.Equal(before.OrderDescending(), await ColumnAsync(page, "count"));
        Assert.Equal("descending", await page.Locator("[data-testid=sort-count]").GetAttributeAsync("aria-sort"));
    }

    private static async Task AssertSortsBySiteAsync(IPage page)
    {
        await page.Locator("[data-testid=sort-site]").ClickAsync();
        string[] sites = await page.Locator("[data-testid=group-row] td[data-column=site]")
            .EvaluateAllAsync<string[]>("cs => cs.map(c => c.getAttribute('data-value').toLowerCase())");
        Assert.Equal(sites.Order(StringComparer.Ordinal), sites);
    }

    private static async Task<double[]> ColumnAsync(IPage page, string column) =>
        [.. (await page.Locator($"[data-testid=group-row] td[data-column={column}]")
            .EvaluateAllAsync<string[]>("cs => cs.map(c => c.getAttribute('data-value'))"))
            .Select(static v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
}
