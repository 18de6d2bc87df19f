using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>
/// Issue 20 in real Chromium: HR starts a rejection-mail test in the console and reads it side by side, on a laptop and a
/// phone, in Japanese and English ("too early" said in words); the operator works the review desk — the held referral with its
/// signal, a note, a bulk release — and sees who decided. The pages fit a phone and pass the accessibility check.
/// </summary>
public sealed class MailTestsAndReviewDeskInChromiumTests(BrowserApp app) : InChromium(app)
{
    private static async Task AssertFitsAsync(IPage page, string what) =>
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{what} scrolls sideways.");

    [Fact]
    public async Task HrPerson_StartsAMailTest_AndReadsItSideBySide_OnALaptopAndAPhone_InBothLanguages()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        const string contact = "hr@abtest-shoji.example";
        var (companyKey, _, _) = await RelayInChromiumTests.SetUpRelayAsync(http, contact);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        await using var laptop = await Accessibility.NewCheckingContextAsync(browser);
        var hr = await laptop.NewPageAsync();
        hr.SetDefaultTimeout(90_000);
        await SignInFromMailAsync(hr, contact, "/signin", "/console");
        await hr.ClickAsync("nav >> text=文面テスト");
        await hr.FillAsync("#name", "あたたかい文面は効くか");
        await hr.SelectOptionAsync("#tone2", "text");
        await hr.FillAsync("#text2", "ご応募ありがとうございました。"); // no {{link}}: refused beside the wordings, what was typed kept
        await hr.ClickAsync("main form[action^='/console/experiments'] button[type=submit]");
        await hr.WaitForSelectorAsync("#variants-error");
        Assert.Equal("ご応募ありがとうございました。", await hr.InputValueAsync("#text2"));
        await hr.FillAsync("#text2", "ご応募ありがとうございました。次の一歩はこちらから：{{link}}");
        await hr.ClickAsync("main form[action^='/console/experiments'] button[type=submit]");
        await hr.ArriveAtAsync(new Regex("/console/experiments/[^/?]+"));
        Assert.Contains("テストを始めました", await hr.InnerTextAsync("main"));

        // Invitations minted for the link while it runs carry a wording each.
        var linkId = (await RelayInChromiumTests.SendWithKeyAsync(http, HttpMethod.Get, "/api/v1/company/links", null, companyKey))["items"]![0]!["id"]!.GetValue<string>();
        var minted = await RelayInChromiumTests.SendWithKeyAsync(http, HttpMethod.Post, "/api/v1/company/invitations", new { linkId, count = 60 }, companyKey);
        Assert.All(minted["invitations"]!.AsArray(), i => Assert.Matches("^[ABC]$", i!["variant"]!.GetValue<string>()));
        await hr.ReloadAsync();
        Assert.Equal(3, await hr.Locator("section.variant").CountAsync());
        Assert.Contains("まだ判定できません", await hr.InnerTextAsync("[data-field=overall]"));
        Assert.Equal(60, int.Parse(await hr.InnerTextAsync("section[data-variant=A] [data-field=invitations] .n"))
            + int.Parse(await hr.InnerTextAsync("section[data-variant=B] [data-field=invitations] .n"))
            + int.Parse(await hr.InnerTextAsync("section[data-variant=C] [data-field=invitations] .n")));
        // Side by side on a laptop: the three cards share one row.
        var boxes = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => hr.Locator("section.variant").Nth(i).BoundingBoxAsync()));
        Assert.Single(boxes.Select(b => Math.Round(b!.Y)).Distinct());
        await Accessibility.AssertNoSeriousViolationsAsync(hr, "The experiment page");
        await hr.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("console-experiment.ja.png"), FullPage = true });
        var experimentUrl = hr.Url.Split('?')[0];
        await hr.GotoAsync(experimentUrl + "?lang=en");
        Assert.Contains("Too early to tell", await hr.InnerTextAsync("[data-field=overall]"));
        await hr.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("console-experiment.en.png"), FullPage = true });

        // On a phone: stacked, nothing sideways, in both languages.
        // The same signed-in browser, at a phone's size.
        var phone = await laptop.NewPageAsync();
        await phone.SetViewportSizeAsync(390, 844);
        phone.SetDefaultTimeout(90_000);
        foreach (var suffix in new[] { "", "?lang=en" })
        {
            await phone.GotoAsync(experimentUrl + suffix);
            await AssertFitsAsync(phone, "The experiment page on a phone" + suffix);
            await phone.GotoAsync(App.BaseUrl + "/console/experiments" + suffix);
            await AssertFitsAsync(phone, "The experiments list on a phone" + suffix);
        }
        await phone.GotoAsync(experimentUrl);
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("console-experiment-phone.ja.png"), FullPage = true });

        // Adopt B: the test ends and says so.
        await hr.GotoAsync(experimentUrl);
        await hr.ClickAsync("section[data-variant=B] button[type=submit]");
        await hr.WaitForSelectorAsync("p[role=status]");
        Assert.Contains("文面を採用し", await hr.InnerTextAsync("main"));
        Assert.Contains("案Bを採用", await hr.InnerTextAsync("[data-field=status]"));
        Assert.Equal(0, await hr.Locator("section.variant button").CountAsync());

        // The templates page now offers the adopted wording first, and it is B's (the warm tone).
        await hr.GotoAsync(App.BaseUrl + "/console/templates");
        Assert.Equal("own", await hr.InputValueAsync("#tone"));
        var adopted = await hr.InputValueAsync("#body");
        await hr.SelectOptionAsync("#tone", "warm");
        await hr.ClickAsync("main form.choices button[type=submit]");
        await hr.ArriveAtAsync(new Regex("tone=warm"));
        Assert.Equal(adopted, await hr.InputValueAsync("#body"));
    }

    [Fact]
    public async Task Operator_ReviewsAHeldReferral_NotesIt_ReleasesItInBulk_AndSeesWhoDecided()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        var (_, agencyId, token) = await RelayInChromiumTests.SetUpRelayAsync(http, "hr@review-shoji.example");
        // A disposable address: verified, then held on that signal.
        var email = $"burner.{Guid.NewGuid():N}@mailinator.com";
        var registered = await http.PostAsJsonAsync("/api/v1/public/registrations", new
        {
            token, name = "捨て 太郎", email, consent = new { noticeVersion = 1, agencyIds = new[] { agencyId } },
        });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        var code = (await RelayInChromiumTests.WaitForLinkAsync(App, email, "/verify/")).Split('/')[^1].Split('?')[0];
        Assert.True((await http.PostAsJsonAsync("/api/v1/public/verifications", new { code })).IsSuccessStatusCode);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        await using var laptop = await Accessibility.NewCheckingContextAsync(browser);
        var desk = await laptop.NewPageAsync();
        desk.SetDefaultTimeout(90_000);
        await desk.GotoAsync(App.BaseUrl + "/operator/signin");
        await desk.FillAsync("#key", BrowserApp.OperatorKey);
        await desk.ClickAsync("button[type=submit]");
        await desk.ArriveAtAsync(new Regex("/operator(\\?.*)?$"));
        await desk.ClickAsync("nav >> text=審査デスク");
        var row = desk.Locator("tr[data-signal=disposable_email]").First;
        Assert.Contains("使い捨てメールアドレス", await row.InnerTextAsync());
        Assert.DoesNotContain("mailinator", await desk.InnerTextAsync("main"));
        await Accessibility.AssertNoSeriousViolationsAsync(desk, "/operator/holds");
        await desk.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("operator-holds.ja.png"), FullPage = true });

        // Its own page: a note, kept on the timeline with who wrote it.
        var id = await row.GetAttributeAsync("data-referral-id");
        await row.Locator("a").ClickAsync();
        await desk.FillAsync("#note-text", "企業に登録経路を確認中");
        await desk.ClickAsync("text=メモを保存");
        await desk.WaitForSelectorAsync("p[role=status]");
        Assert.Contains("企業に登録経路を確認中", await desk.InnerTextAsync("[data-event=note]"));
        await Accessibility.AssertNoSeriousViolationsAsync(desk, "/operator/holds/{id}");
        await desk.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("operator-hold.ja.png"), FullPage = true });

        // Back on the queue: tick it, release in bulk; the decided list names who decided.
        await desk.GotoAsync(App.BaseUrl + "/operator/holds");
        await desk.CheckAsync($"#pick-{id}");
        await desk.ClickAsync("fieldset.bulk button[type=submit]");
        await desk.WaitForSelectorAsync("p[role=status]");
        Assert.Contains("1件を判断しました", await desk.InnerTextAsync("p[role=status]"));
        await desk.ClickAsync("text=判断済み");
        var decided = desk.Locator($"tr[data-referral-id='{id}']");
        Assert.Equal("bootstrap", await decided.Locator("[data-field=decidedBy]").InnerTextAsync());

        // A phone, both languages: nothing sideways.
        // The same signed-in browser, at a phone's size.
        var phone = await laptop.NewPageAsync();
        await phone.SetViewportSizeAsync(390, 844);
        phone.SetDefaultTimeout(90_000);
        foreach (var path in new[] { "/operator/holds", "/operator/holds?view=resolved", $"/operator/holds/{id}", "/operator/holds?lang=en", $"/operator/holds/{id}?lang=en" })
        {
            await phone.GotoAsync(App.BaseUrl + path);
            await AssertFitsAsync(phone, path + " on a phone");
        }
        await phone.GotoAsync(App.BaseUrl + "/operator/holds?lang=en");
        Assert.Contains("Review desk", await phone.InnerTextAsync("h1"));
        await phone.GotoAsync(App.BaseUrl + "/operator/holds?view=resolved&lang=en");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("operator-holds-decided-phone.en.png"), FullPage = true });
    }

    [Fact]
    public async Task ACandidate_ReadsTheCompanysPublicPage_OnAPhone_InBothLanguages_WithFiguresOnlyFromFivePeople()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        var (companyKey, _, _) = await RelayInChromiumTests.SetUpRelayAsync(http, "hr@public-shoji.example");
        await RelayInChromiumTests.SendWithKeyAsync(http, HttpMethod.Put, "/api/v1/company/profile",
            new { slug = "public-shoji", @public = true, showInDirectory = true, message = "選考でご縁がなかった方にも、次の一歩を。" }, companyKey);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        await using var phoneContext = await Accessibility.NewCheckingContextAsync(browser, 390, 844);
        var phone = await phoneContext.NewPageAsync();
        phone.SetDefaultTimeout(90_000);
        await phone.GotoAsync(App.BaseUrl + "/c/public-shoji");
        Assert.Contains("選考でご縁がなかった方にも、次の一歩を。", await phone.InnerTextAsync("main"));
        Assert.Equal("—", (await phone.InnerTextAsync("[data-field=supported]")).Trim()); // nobody yet: never a small number
        await AssertFitsAsync(phone, "The public page on a phone");
        await Accessibility.AssertNoSeriousViolationsAsync(phone, "/c/{slug}");
        await phone.GotoAsync(App.BaseUrl + "/c/public-shoji?lang=en");
        Assert.Contains("A CareerRelay company", await phone.InnerTextAsync("main"));
        await AssertFitsAsync(phone, "The public page in English on a phone");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("company-public-phone.en.png"), FullPage = true });
        await phone.GotoAsync(App.BaseUrl + "/companies");
        Assert.Contains("ブラウザ商事株式会社", await phone.InnerTextAsync("main"));
        await AssertFitsAsync(phone, "The directory on a phone");
    }
}
