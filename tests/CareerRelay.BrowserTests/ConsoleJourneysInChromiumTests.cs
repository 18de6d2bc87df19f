using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>
/// What an HR person does in the console, in real Chromium: copy the rejection email with its link, spend a
/// free hire slot and take it back, and every main page passes the automated accessibility check.
/// </summary>
public sealed class ConsoleJourneysInChromiumTests(BrowserApp app) : InChromium(app)
{
    [Fact]
    public async Task HrPerson_CreatesALink_CopiesItsRejectionEmail_AndTheClipboardHoldsThatLink()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        var contact = "copy@console-shoji.example";
        var (_, _, token) = await RelayInChromiumTests.SetUpRelayAsync(http, contact);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        // A normal context (the console's CSP applies): the copy button works with the console's own script only.
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "ja-JP", ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Permissions = ["clipboard-read", "clipboard-write"],
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(90_000);
        var blocked = CspViolations(page);
        await SignInFromMailAsync(page, contact, "/signin", "/console");

        // A new link for this season, then its rejection email.
        await page.ClickAsync("nav >> text=専用リンク");
        await page.FillAsync("#label", "2027年度 新卒");
        await page.ClickAsync("section[aria-labelledby=create] button[type=submit]");
        var newLink = await page.Locator("tr:has-text('2027年度 新卒') input[type=text]").InputValueAsync();
        Assert.NotEqual($"{App.BaseUrl}/r/{token}", newLink);

        await page.ClickAsync("nav >> text=お祈りメール文面");
        await page.SelectOptionAsync("#link", new SelectOptionValue { Label = "2027年度 新卒" });
        await page.SelectOptionAsync("#tone", "warm");
        await page.ClickAsync("form.choices button[type=submit]");
        await page.ArriveAtAsync(new Regex("tone=warm"));
        await page.ClickAsync("button[data-copy=body]");
        await page.WaitForSelectorAsync("#copy-status:has-text('本文をコピーしました')");
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Contains(newLink, copied);
        Assert.Equal(await page.InputValueAsync("#body"), copied);
        Assert.Empty(blocked); // every style and script came from our own files, none was refused by the CSP
        Assert.Equal("rgb(11, 110, 79)", await page.EvalOnSelectorAsync<string>("nav a[aria-current=page]", "a => getComputedStyle(a).borderBottomColor"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("console-templates.ja.png"), FullPage = true });
    }

    [Fact]
    public async Task HrPerson_SpendsAFreeHireSlotOnAJob_ThenCancels_AndTheBalanceFollows()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        var contact = "slots@console-shoji.example";
        var (companyKey, agencyId, token) = await RelayInChromiumTests.SetUpRelayAsync(http, contact);
        await RelayInChromiumTests.QualifyAsync(App, http, token, agencyId, 10);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "ja-JP" });
        page.SetDefaultTimeout(90_000);
        var blocked = CspViolations(page);
        await SignInFromMailAsync(page, contact, "/signin", "/console");
        Assert.Equal("1", await page.InnerTextAsync("[data-field=slotsAvailable] .figure"));

        await page.ClickAsync("nav >> text=求人と枠の利用");
        await page.FillAsync("#title", "カスタマーサクセス");
        await page.FillAsync("#description", "SaaS導入後の定着支援");
        await page.SelectOptionAsync("#prefecture", "27");
        await page.FillAsync("#skills", "顧客対応、Excel");
        await page.ClickAsync("section[aria-labelledby=create] button[type=submit]");
        await page.WaitForSelectorAsync("td:has-text('カスタマーサクセス')");
        Assert.Contains("利用可能な無料採用枠: 1", await page.InnerTextAsync("[data-field=slotsAvailable]"));

        // Spending asks first, on its own page: how many slots before and after, and what the slot does.
        await page.ClickAsync("tr:has-text('カスタマーサクセス') >> text=無料採用枠を使う");
        await page.WaitForSelectorAsync("h1:has-text('無料採用枠を使う')");
        Assert.Equal("1", await page.InnerTextAsync("dd[data-field=slotsAvailable]"));
        Assert.Contains("利用後に残る枠", await page.InnerTextAsync("main"));
        await page.ClickAsync("button:has-text('この求人に無料採用枠を使う')");
        await page.WaitForSelectorAsync("tr[data-status=open]");
        Assert.Contains("利用可能な無料採用枠: 0", await page.InnerTextAsync("[data-field=slotsAvailable]"));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", companyKey);
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonObject>("/api/v1/company/summary"))!["slotsAvailable"]!.GetValue<int>());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("console-jobs.ja.png"), FullPage = true });

        await page.ClickAsync("tr[data-status=open] >> text=利用を取り消す");
        await page.WaitForSelectorAsync("tr[data-status=cancelled]");
        Assert.Contains("利用可能な無料採用枠: 1", await page.InnerTextAsync("[data-field=slotsAvailable]"));
        Assert.Equal(1, (await http.GetFromJsonAsync<JsonObject>("/api/v1/company/summary"))!["slotsAvailable"]!.GetValue<int>());

        await page.ClickAsync("nav >> text=台帳");
        Assert.Contains("利用の取消で返却", await page.InnerTextAsync("main"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("console-ledger.ja.png"), FullPage = true });
        Assert.Empty(blocked);
    }

    [Fact]
    public async Task MainPages_LandingSignInDashboardAndForms_HaveNoSeriousAccessibilityViolations()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        var contact = "a11y@console-shoji.example";
        var (_, agencyId, token) = await RelayInChromiumTests.SetUpRelayAsync(http, contact);
        await RelayInChromiumTests.QualifyAsync(App, http, token, agencyId, 3);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        await using var phone = await Accessibility.NewCheckingContextAsync(browser, 390, 844);
        var landing = await phone.NewPageAsync();
        landing.SetDefaultTimeout(90_000);
        await landing.GotoAsync($"{App.BaseUrl}/r/{token}");
        await Accessibility.AssertNoSeriousViolationsAsync(landing, "The landing page");
        await landing.ClickAsync("button[type=submit]"); // the form with its errors shown
        await Accessibility.AssertNoSeriousViolationsAsync(landing, "The landing page with errors");

        await using var laptop = await Accessibility.NewCheckingContextAsync(browser);
        var page = await laptop.NewPageAsync();
        page.SetDefaultTimeout(90_000);
        await page.GotoAsync($"{App.BaseUrl}/signin");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "The sign-in page");
        await SignInFromMailAsync(page, contact, "/signin", "/console");
        foreach (var (path, name) in new[]
        {
            ("/console", "dashboard"), ("/console/links", "links"), ("/console/templates", "templates"), ("/console/jobs", "jobs"),
            ("/console/ledger", "ledger"), ("/console/reports", "reports"), ("/console/roi", "roi"), ("/console/users", "users"),
            ("/console/keys", "keys"), ("/console/security", "security"), ("/console/integrations", "integrations"),
            ("/console/imports", "imports"), ("/console/webhooks", "webhooks"),
        })
        {
            await page.GotoAsync(App.BaseUrl + path);
            await Accessibility.AssertNoSeriousViolationsAsync(page, path);
            if (name is "dashboard" or "reports" or "roi" or "keys" or "security" or "users")
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath($"console-{name}.ja.png"), FullPage = true });
        }
        await page.GotoAsync(App.BaseUrl + "/console?lang=en");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "/console in English");
    }

    [Fact]
    public async Task HrPerson_ImportsAShiftJisExport_ChecksThePreview_ThenImports_AndSeesTheMailsGoOut()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        var contact = "import@console-shoji.example";
        await RelayInChromiumTests.SetUpRelayAsync(http, contact);
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var csv = System.Text.Encoding.GetEncoding(932).GetBytes(
            "応募ID,氏名,メールアドレス,応募職種,選考結果,不合格日\r\n" +
            "K-1,髙橋 一郎,k1.import@example.jp,経理,不合格,2026/11/20\r\n" +
            "K-2,鈴木 花子,k2.import@example.jp,営業,辞退,2026/11/20\r\n" +
            "K-3,佐藤 次郎,not-an-address,営業,不合格,2026/11/20\r\n");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        await using var context = await Accessibility.NewCheckingContextAsync(browser);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(90_000);
        var blocked = CspViolations(page);
        await SignInFromMailAsync(page, contact, "/signin", "/console");

        await page.ClickAsync("nav >> text=ATS連携");
        await page.ClickAsync("nav.tabs >> text=CSV取り込み");
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "不合格者一覧.csv", MimeType = "text/csv", Buffer = csv });
        await page.ClickAsync("form[enctype] button[type=submit]");
        await page.WaitForSelectorAsync("text=取り込む前の確認");
        Assert.Equal(1, await page.Locator("tr[data-row-status=invite]").CountAsync());
        Assert.Equal(1, await page.Locator("tr[data-row-status=no_invitation]").CountAsync());
        Assert.Contains("メールアドレス", await page.InnerTextAsync("tr[data-row-status=error]"));
        Assert.Contains("shift_jis", await page.InnerTextAsync("main"));
        await Accessibility.AssertNoSeriousViolationsAsync(page, "The import preview");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("console-import-preview.ja.png"), FullPage = true });

        await page.ClickAsync("text=この内容で取り込む");
        await page.WaitForSelectorAsync("h2:has-text('取り込みました')");
        var mail = await RelayInChromiumTests.WaitForLinkAsync(App, "k1.import@example.jp", "/r/");
        Assert.Contains("/r/", mail);

        await page.ClickAsync("nav.tabs >> text=接続と代行送信");
        await page.WaitForSelectorAsync("tr:has-text('K-1')");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("console-integrations.ja.png"), FullPage = true });
        Assert.Empty(blocked);
    }

    /// <summary>Collects what the browser refused under the page's Content-Security-Policy.</summary>
    private static List<string> CspViolations(IPage page)
    {
        var blocked = new List<string>();
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) blocked.Add(message.Text); };
        return blocked;
    }

}
