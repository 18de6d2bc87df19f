using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>
/// An agency's consultant in real Chromium: signs in like a company user, works the pipeline board, records a placement, then
/// its follow-up (a leave, refused first without its date) and reads the figures it publishes — on the public page on a phone too.
/// </summary>
public sealed class AgencyInChromiumTests(BrowserApp app) : InChromium(app)
{
    [Fact]
    public async Task Consultant_MovesACandidateAlongTheBoard_AndRecordsTheirPlacement()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        const string consultant = "consultant@sakura-career.example";
        async Task<JsonObject> PostAsync(string path, object body, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }
        var company = await PostAsync("/api/v1/admin/companies", new { name = "さくら物産株式会社", contactEmail = "hr@sakura-bussan.example" }, BrowserApp.OperatorKey);
        var agency = await PostAsync("/api/v1/admin/agencies", new
        {
            name = "さくらキャリア", licenseNumber = "13-ユ-765432", contactEmail = consultant, occupations = new[] { "営業" },
            fees = "求職者は無料", complaintContact = "03-3333-4444", privacyPolicyUrl = "https://sakura-career.example/privacy",
        }, BrowserApp.OperatorKey);
        var companyKey = company["apiKey"]!.GetValue<string>();
        using (var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/company/partner-agencies") { Content = JsonContent.Create(new { agencyIds = new[] { agency["id"]!.GetValue<string>() } }) })
        {
            put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", companyKey);
            Assert.True((await http.SendAsync(put)).IsSuccessStatusCode);
        }
        var token = (await PostAsync("/api/v1/company/links", new { label = "冬採用" }, companyKey))["token"]!.GetValue<string>();
        const string email = "yuki.mori@example.jp";
        var registered = await http.PostAsJsonAsync("/api/v1/public/registrations", new
        {
            token, name = "森 由紀", email, prefecture = "13", desiredOccupation = "法人営業", skills = new[] { "営業" },
            consent = new { noticeVersion = 1, agencyIds = new[] { agency["id"]!.GetValue<string>() } },
        });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        var code = (await RelayInChromiumTests.WaitForLinkAsync(App, email, "/verify/")).Split('/')[^1];
        Assert.True((await http.PostAsJsonAsync("/api/v1/public/verifications", new { code })).IsSuccessStatusCode);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        await using var context = await Accessibility.NewCheckingContextAsync(browser);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(90_000);

        await SignInFromMailAsync(page, consultant, "/signin", "/agency");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "The agency dashboard");

        await page.ClickAsync("nav >> text=パイプライン");
        var ticket = page.Locator("section[data-stage=new] .ticket:has-text('森 由紀')");
        Assert.Contains("未連絡", await ticket.InnerTextAsync());
        await Accessibility.AssertNoSeriousViolationsAsync(page, "The pipeline board");

        await ticket.ClickAsync();
        await page.SelectOptionAsync("#type", "contacted");
        await page.FillAsync("#note", "電話で希望条件を確認。来週面談。");
        await page.ClickAsync("section[aria-labelledby=step] button[type=submit]");
        await page.WaitForSelectorAsync("text=記録しました");
        await Accessibility.AssertNoSeriousViolationsAsync(page, "The candidate page");
        await page.ClickAsync("nav >> text=パイプライン");
        await page.WaitForSelectorAsync("section[data-stage=contacted] .ticket:has-text('森 由紀')");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("agency-board.ja.png"), FullPage = true });

        // She started six weeks ago, a permanent post.
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        var start = today.AddDays(-42).ToString("yyyy-MM-dd");
        await page.ClickAsync("section[data-stage=contacted] .ticket:has-text('森 由紀')");
        await page.FillAsync("#hiringCompanyName", "株式会社みどり商会");
        await page.FillAsync("#startDate", start);
        await page.SelectOptionAsync("#employmentType", "indefinite");
        await page.ClickAsync("section[aria-labelledby=placement] button[type=submit]");
        await page.WaitForSelectorAsync("text=入社を記録しました");
        Assert.Equal("入社", await page.InnerTextAsync("[data-field=stage]"));
        Assert.Contains(start, await page.InnerTextAsync("[data-placement-id]"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("agency-candidate.ja.png"), FullPage = true });

        // The follow-up: she left last week. Without the day, the form says so beside the field and keeps the choice.
        await page.ClickAsync("[data-placement-id] >> text=定着確認");
        Assert.Equal("正社員・無期雇用", await page.InnerTextAsync("[data-field=employmentType]"));
        await Accessibility.AssertNoSeriousViolationsAsync(page, "The placement page");
        await page.CheckAsync("input[name=status][value=left]");
        await page.ClickAsync("section[aria-labelledby=record] button[type=submit]");
        await page.WaitForSelectorAsync("#leftOn-error");
        Assert.True(await page.IsCheckedAsync("input[name=status][value=left]"));
        await page.FillAsync("#leftOn", today.AddDays(-7).ToString("yyyy-MM-dd"));
        await page.SelectOptionAsync("#reason", "voluntary");
        await page.ClickAsync("section[aria-labelledby=record] button[type=submit]");
        await page.WaitForSelectorAsync("text=定着確認を記録しました");
        Assert.Equal("退職した", await page.InnerTextAsync("[data-field=status]"));
        Assert.Contains("自己都合", await page.InnerTextAsync("[data-follow-up=left]"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("agency-placement-left.ja.png"), FullPage = true });

        // The figures it publishes: one indefinite placement this fiscal year, one who left within six months.
        await page.ClickAsync("nav >> text=実績の開示");
        Assert.Equal("1", await page.InnerTextAsync("[data-field=indefiniteLeftWithinSixMonths]"));
        await Accessibility.AssertNoSeriousViolationsAsync(page, "The disclosures page");
        await using var phone = await Accessibility.NewCheckingContextAsync(browser, 390, 844);
        var reader = await phone.NewPageAsync();
        reader.SetDefaultTimeout(90_000);
        await reader.GotoAsync($"{App.BaseUrl}/r/{token}");
        // The landing page's link opens the figures in a new tab, so the form being filled in stays where it was.
        var publicPage = await reader.RunAndWaitForPopupAsync(() => reader.ClickAsync("[data-field=disclosure]"));
        await publicPage.WaitForSelectorAsync("table.figures-table");
        var fiscalYear = today.Month >= 4 ? today.Year : today.Year - 1;
        Assert.Equal("1", await publicPage.InnerTextAsync($"td[data-fiscal-year='{fiscalYear}'][data-field=IndefiniteLeftWithinSixMonths]"));
        Assert.Equal(390, await publicPage.EvaluateAsync<int>("document.documentElement.scrollWidth"));
        await Accessibility.AssertNoSeriousViolationsAsync(publicPage, "The public disclosure page");
        await publicPage.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("agency-disclosure-public.ja.phone.png"), FullPage = true });

        // The company that referred the candidate sees the placement in its numbers.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", companyKey);
        Assert.Equal(1, (await http.GetFromJsonAsync<JsonObject>("/api/v1/company/summary"))!["placements"]!.GetValue<int>());
    }
}
