using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace Leakproof.AspNetCore.Tests.Support;

/// <summary>Headless Chromium through Playwright, using the machine's browser (never a downloaded one).</summary>
internal sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Gets the folder screenshots are kept in: <c>artifacts/test-results/screenshots</c> under the repository root.</summary>
    public static string ScreenshotDirectory { get; } = FindScreenshotDirectory();

    public static async Task<Chromium> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"Headless browser tests need Chromium at {ExecutablePath}: install Debian package chromium (apt-get install chromium).");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        IPlaywright playwright = await Playwright.CreateAsync();
        try
        {
            IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                Timeout = 60_000,
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async Task<IPage> NewPageAsync()
    {
        IPage page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout(30_000);
        return page;
    }

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        string path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }

    private static string FindScreenshotDirectory()
    {
        // Walk up from artifacts/bin/<project>/<config>/ to the repository root (the folder holding Leakproof.slnx).
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Leakproof.slnx")))
        {
            directory = directory.Parent;
        }

        string root = directory?.FullName ?? AppContext.BaseDirectory;
        string screenshots = Path.Combine(root, "artifacts", "test-results", "screenshots");
        Directory.CreateDirectory(screenshots);
        return screenshots;
    }
}
