using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>A registered candidate manages their own data in real Chromium: sign in from the mail, correct, upload, withdraw, download, erase.</summary>
public sealed class CandidatePageInChromiumTests(BrowserApp app) : InChromium(app)
{
    [Fact]
    public async Task Candidate_SignsInFromTheMail_CorrectsUploadsWithdrawsDownloadsAndErases()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        var (_, agencyId, token) = await RelayInChromiumTests.SetUpRelayAsync(http, "hr@me-shoji.example");
        const string email = "kenta.ishii@example.jp";
        var registered = await http.PostAsJsonAsync("/api/v1/public/registrations", new
        {
            token, name = "石井 健太", email, phone = "090-2468-1357", prefecture = "13", skills = new[] { "営業" },
            consent = new { noticeVersion = 1, agencyIds = new[] { agencyId } },
        });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        var code = (await RelayInChromiumTests.WaitForLinkAsync(App, email, "/verify/")).Split('/')[^1];
        Assert.True((await http.PostAsJsonAsync("/api/v1/public/verifications", new { code })).IsSuccessStatusCode);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        await using var context = await Accessibility.NewCheckingContextAsync(browser, 390, 844); // a phone
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(90_000);

        await page.GotoAsync($"{App.BaseUrl}/me");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "The /me sign-in page");
        await page.FillAsync("#email", email);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("text=メールを確認してください");
        await page.GotoAsync(await RelayInChromiumTests.WaitForLinkAsync(App, email, "/me/"));
        await page.ClickAsync("button[type=submit]");
        await page.ArriveAtAsync(new Regex("/me$"));
        Assert.Equal("石井 健太", await page.InputValueAsync("#name"));
        Assert.Contains("特定募集情報等提供事業", await page.InnerTextAsync("footer"));
        await Accessibility.AssertNoSeriousViolationsAsync(page, "The /me page");

        await page.FillAsync("#phone", "090-1357-2468");
        await page.SelectOptionAsync("#jobSearchStatus", "open");
        await page.FillAsync("[id='work0.company']", "東京物産株式会社");
        await page.FillAsync("[id='work0.title']", "法人営業");
        await page.ClickAsync("section[aria-labelledby=profile] button[type=submit]");
        await page.WaitForSelectorAsync("text=登録内容を保存しました");
        Assert.Equal("090-1357-2468", await page.InputValueAsync("#phone"));

        var pdf = Path.Combine(App.Directory, "職務経歴書.pdf");
        await File.WriteAllBytesAsync(pdf, Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"));
        await page.SetInputFilesAsync("#resume-file", pdf);
        await page.ClickAsync("section[aria-labelledby=resume] form[enctype] button[type=submit]");
        await page.WaitForSelectorAsync("text=ファイルをアップロードしました");
        Assert.Contains("職務経歴書.pdf", await page.InnerTextAsync("[data-field=resume]"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("candidate-me.ja.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("text=データをダウンロード（JSON）"));
        var exported = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("090-1357-2468", exported);
        Assert.Contains("東京物産株式会社", exported);

        await page.ClickAsync($"[data-agency-id='{agencyId}'] button[type=submit]");
        await page.WaitForSelectorAsync($"[data-agency-id='{agencyId}'][data-status=withdrawn]");

        await page.CheckAsync("input[name=confirm]");
        await page.ClickAsync("section.danger-zone button[type=submit]");
        await page.WaitForSelectorAsync("text=データを削除しました");
        await page.GotoAsync($"{App.BaseUrl}/me");
        Assert.Contains("サインイン用リンクを送る", await page.InnerTextAsync("main")); // the session ended with the person
    }
}
