using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>
/// From referral link to hire, in real Chromium: HR sets up a programme and a referrer, the referred person applies on
/// a phone and confirms by mail, HR moves the application to 入社, the referrer's page shows it with their points; the
/// new pages (and the operator's network view) pass the accessibility check.
/// </summary>
public sealed class ReferralInChromiumTests(BrowserApp app) : InChromium(app)
{
    [Fact]
    public async Task FromReferralLinkToHire_HrReferredPersonAndReferrer_EachSeeTheirPart()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        var contact = "hr@referral-shoji.example";
        var (companyKey, agencyId, token) = await RelayInChromiumTests.SetUpRelayAsync(http, contact);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", companyKey);
        var job = await http.PostAsJsonAsync("/api/v1/company/jobs", new
        {
            title = "カスタマーサクセス", description = "導入後の定着支援", prefecture = "13", skills = new[] { "顧客対応" }, employmentType = "full_time",
        });
        Assert.True(job.IsSuccessStatusCode, await job.Content.ReadAsStringAsync());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        await using var laptop = await Accessibility.NewCheckingContextAsync(browser);
        var hr = await laptop.NewPageAsync();
        hr.SetDefaultTimeout(90_000);
        await SignInFromMailAsync(hr, contact, "/signin", "/console");

        await hr.ClickAsync("nav >> text=リファラル");
        await hr.FillAsync("#programme-name", "2027年度 社員紹介");
        await hr.ClickAsync("section[aria-labelledby=programmes] button[type=submit]");
        await hr.WaitForSelectorAsync("text=プログラムを作りました");
        await hr.SelectOptionAsync("#type", "employee");
        await hr.FillAsync("#referrer-name", "営業部 田中");
        await hr.ClickAsync("text=リンクを発行する");
        var referralLink = await hr.InputValueAsync("[data-field=referralLink]");
        var statusLink = await hr.InputValueAsync("[data-field=statusLink]");
        await Accessibility.AssertNoSeriousViolationsAsync(hr, "/console/referrals");

        // The referred person, on a phone.
        await using var phone = await Accessibility.NewCheckingContextAsync(browser, 390, 844);
        var person = await phone.NewPageAsync();
        person.SetDefaultTimeout(90_000);
        await person.GotoAsync(referralLink);
        Assert.Contains("営業部 田中", await person.InnerTextAsync("main"));
        await Accessibility.AssertNoSeriousViolationsAsync(person, "The referral page");
        await person.FillAsync("#name", "紹介 美咲");
        await person.FillAsync("#email", "misaki.referral@example.jp");
        await person.ClickAsync("button[type=submit]"); // without agreeing: the error is shown, the input kept
        await person.WaitForSelectorAsync("#agree-error");
        Assert.Equal("紹介 美咲", await person.InputValueAsync("#name"));
        await person.Locator("input[name=agree]").CheckAsync();
        await person.FillAsync("#careerSummary", "SaaS のカスタマーサポート 4年");
        await person.ClickAsync("button[type=submit]");
        await person.WaitForSelectorAsync("text=確認メールを送りました");
        await person.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("referral-sent.ja.png"), FullPage = true });
        await person.GotoAsync(await RelayInChromiumTests.WaitForLinkAsync(App, "misaki.referral@example.jp", "/ref/confirm/"));
        await person.ClickAsync("button[type=submit]");
        await person.WaitForSelectorAsync("text=応募しました");

        // HR sees the application and moves it to 入社.
        await hr.GotoAsync(App.BaseUrl + "/console/referrals");
        await hr.WaitForSelectorAsync("article.application:has-text('紹介 美咲')");
        Assert.Contains("SaaS のカスタマーサポート 4年", await hr.InnerTextAsync("article.application"));
        foreach (var button in new[] { "書類選考通過（面接へ）", "内定", "入社" })
        {
            await hr.ClickAsync($"article.application button:has-text('{button}')");
            await hr.WaitForSelectorAsync("p[role=status]");
        }
        Assert.Equal("hired", await hr.GetAttributeAsync("article.application", "data-stage"));
        await hr.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("console-referrals.ja.png"), FullPage = true });
        await hr.GotoAsync(App.BaseUrl + "/console");
        Assert.Equal("1", await hr.InnerTextAsync("[data-field=referralHires] .figure"));
        await hr.GotoAsync(App.BaseUrl + "/console/network");
        await Accessibility.AssertNoSeriousViolationsAsync(hr, "/console/network");

        // The referrer: stage and points, never the person's details.
        var referrer = await phone.NewPageAsync();
        await referrer.GotoAsync(statusLink);
        var text = await referrer.InnerTextAsync("main");
        Assert.Contains("入社", text);
        Assert.Contains("獲得ポイント: 11", text);
        Assert.DoesNotContain("紹介 美咲", text);
        Assert.DoesNotContain("misaki.referral", text);
        await Accessibility.AssertNoSeriousViolationsAsync(referrer, "The referrer's status page");
        await referrer.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("referrer-status.ja.png"), FullPage = true });

        // The operator's network view draws the flows: two people relayed through the company's link to its agency.
        http.DefaultRequestHeaders.Authorization = null;
        await RelayInChromiumTests.QualifyAsync(App, http, token, agencyId, 2);
        var op = await laptop.NewPageAsync();
        op.SetDefaultTimeout(90_000);
        await op.GotoAsync(App.BaseUrl + "/operator/signin");
        await op.FillAsync("#key", BrowserApp.OperatorKey);
        await op.ClickAsync("button[type=submit]");
        await op.ArriveAtAsync(new Regex("/operator(\\?.*)?$"));
        await op.GotoAsync(App.BaseUrl + "/admin");
        await op.WaitForSelectorAsync("svg.sankey rect");
        Assert.Equal(2, await op.Locator("svg.sankey path").CountAsync());
        Assert.Contains("支援中（未入社）", await op.InnerTextAsync("main"));
        await Accessibility.AssertNoSeriousViolationsAsync(op, "/admin");
        await op.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("operator-network.ja.png"), FullPage = true });
    }
}
