using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>
/// What every browser test class shares: the app on a real port (one per class), where screenshots go, and
/// the passwordless sign-in as a person does it — ask for a link, open it from the real mail, press the button.
/// </summary>
public abstract class InChromium : IClassFixture<BrowserApp>
{
    protected BrowserApp App { get; }

    protected InChromium(BrowserApp app)
    {
        App = app;
        App.StartServer();
    }

    /// <summary>Screenshots go here; set CAREERRELAY_SCREENSHOTS to keep them (docs/screenshots is made this way).</summary>
    protected string ScreenshotDir
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("CAREERRELAY_SCREENSHOTS") ?? Path.Combine(App.Directory, "screenshots");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>Where a journey's screenshot of <paramref name="name"/> goes: docs/screenshots for the moments only a journey reaches
    /// (a preview, a sent referral), the test's own folder for pages the crawl documents from its fuller world.</summary>
    protected string ShotPath(string name) => CrawlInChromiumTests.DocumentedNames.Contains(name)
        ? Path.Combine(Directory.CreateDirectory(Path.Combine(App.Directory, "screenshots")).FullName, name)
        : Path.Combine(ScreenshotDir, name);

    /// <summary>Signs in at <paramref name="path"/> (/signin for companies and agencies, /me for candidates) and waits for <paramref name="landing"/>.</summary>
    protected async Task SignInFromMailAsync(IPage page, string email, string path, string landing)
    {
        await page.GotoAsync($"{App.BaseUrl}{path}");
        await page.FillAsync("#email", email);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("text=メールを確認してください");
        await page.GotoAsync(await RelayInChromiumTests.WaitForLinkAsync(App, email, path == "/me" ? "/me/" : "/signin/"));
        await page.ClickAsync("button[type=submit]");
        await page.ArriveAtAsync(new Regex(Regex.Escape(landing) + "$"));
    }
}
