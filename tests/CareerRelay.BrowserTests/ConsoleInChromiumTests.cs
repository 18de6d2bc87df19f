using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>An HR person's first visit to the console in real Chromium: sign in from the mail, read the dashboard, create a link.</summary>
public sealed class ConsoleInChromiumTests(BrowserApp app) : InChromium(app)
{
    [Fact]
    public async Task HrPerson_SignsInFromTheMail_SeesTheApiFiguresAndCreatesALink()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        var contact = "saiyo@console-shoji.example";
        var (companyKey, agencyId, token) = await RelayInChromiumTests.SetUpRelayAsync(http, contact);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "ja-JP" });
        // The integration tests may share the two cores with this browser; give slow steps room rather than flake.
        page.SetDefaultTimeout(90_000);

        await page.GotoAsync($"{App.BaseUrl}/console");
        await page.ArriveAtAsync(new Regex("/signin"));
        await page.FillAsync("#email", contact);
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("メールを確認してください", await page.InnerTextAsync("h1"));

        await page.GotoAsync(await RelayInChromiumTests.WaitForLinkAsync(App, contact, "/signin/"));
        await page.ClickAsync("button[type=submit]");
        await page.ArriveAtAsync(new Regex("/console$"));

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", companyKey);
        var summary = (await http.GetFromJsonAsync<JsonObject>("/api/v1/company/summary"))!;
        foreach (var field in new[] { "registrations", "qualifiedReferrals", "slotsAvailable" })
            Assert.Equal(summary[field]!.ToString(), await page.InnerTextAsync($"[data-field={field}] .figure"));
        Assert.Contains("あと10人で無料採用枠を1つ獲得", await page.InnerTextAsync("#next-slot"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("console-first-visit.ja.png"), FullPage = true });

        await page.ClickAsync("nav >> text=専用リンク");
        await page.FillAsync("#label", "2027年度 中途採用");
        await page.ClickAsync("section[aria-labelledby=create] button[type=submit]");
        await page.WaitForSelectorAsync("td:has-text('2027年度 中途採用')");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("console-links.ja.png"), FullPage = true });

        var links = (await http.GetFromJsonAsync<JsonObject>("/api/v1/company/links"))!;
        Assert.Contains(links["items"]!.AsArray(), l => l!["label"]!.GetValue<string>() == "2027年度 中途採用");
    }
}
