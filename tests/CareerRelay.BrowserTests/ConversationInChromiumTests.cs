using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CareerRelay.Web.Infrastructure.Localization;
using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>
/// The conversation in real Chromium: an agency writes and proposes 面談 times; the person, on a phone, reads the message,
/// answers it and picks a time; the consultant, at a desk, sees the answer and the confirmed interview.
/// </summary>
public sealed class ConversationInChromiumTests(BrowserApp app) : InChromium(app)
{
    [Fact]
    public async Task OnAPhone_ThePersonAnswersAMessage_AndPicksATime_AndTheAgencySeesBoth()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        const string consultant = "tanaka@hoshi-career.example";
        var company = await RelayInChromiumTests.SendWithKeyAsync(http, HttpMethod.Post, "/api/v1/admin/companies", new { name = "ほし物産株式会社", contactEmail = "hr@hoshi-bussan.example" }, BrowserApp.OperatorKey);
        var agency = await RelayInChromiumTests.SendWithKeyAsync(http, HttpMethod.Post, "/api/v1/admin/agencies", new
        {
            name = "ほしキャリア", licenseNumber = "13-ユ-246810", contactEmail = consultant, occupations = new[] { "営業" },
            fees = "求職者は無料", complaintContact = "03-5555-6666", privacyPolicyUrl = "https://hoshi-career.example/privacy",
        }, BrowserApp.OperatorKey);
        var (companyKey, agencyKey, agencyId) = (company["apiKey"]!.GetValue<string>(), agency["apiKey"]!.GetValue<string>(), agency["id"]!.GetValue<string>());
        var token = (await RelayInChromiumTests.SendWithKeyAsync(http, HttpMethod.Post, "/api/v1/company/links", new { label = "春採用" }, companyKey))["token"]!.GetValue<string>();
        const string email = "yui.mori@example.jp";
        var registered = await http.PostAsJsonAsync("/api/v1/public/registrations", new
        {
            token, name = "森 結衣", email, consent = new { noticeVersion = 1, agencyIds = new[] { agencyId } },
        });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        var code = (await RelayInChromiumTests.WaitForLinkAsync(App, email, "/verify/")).Split('/')[^1];
        Assert.True((await http.PostAsJsonAsync("/api/v1/public/verifications", new { code })).IsSuccessStatusCode);
        var candidateId = (await RelayInChromiumTests.SendWithKeyAsync(http, HttpMethod.Get, "/api/v1/agency/candidates", null, agencyKey))["items"]![0]!["id"]!.GetValue<string>();

        // The agency writes and proposes two times (business days, JST).
        await RelayInChromiumTests.SendWithKeyAsync(http, HttpMethod.Post, $"/api/v1/agency/candidates/{candidateId}/messages",
            new { text = "森さま、ほしキャリアの田中です。ご登録ありがとうございます。\n一度オンラインでお話しできればと思います。" }, agencyKey);
        var first = JapanCalendar.NextBusinessDayAt(DateTime.UtcNow.AddDays(2), new TimeOnly(10, 0));
        var second = JapanCalendar.NextBusinessDayAt(first.AddDays(1), new TimeOnly(15, 0));
        string Jst(DateTime utc) => new DateTimeOffset(utc).ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mmzzz");
        await RelayInChromiumTests.SendWithKeyAsync(http, HttpMethod.Post, $"/api/v1/agency/candidates/{candidateId}/interviews", new
        {
            slots = new[] { new { start = Jst(first), end = Jst(first.AddHours(1)) }, new { start = Jst(second), end = Jst(second.AddMinutes(45)) } },
            mode = "online", place = "Google Meet（URLは確定後にお送りします）",
        }, agencyKey);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        await using (var phone = await Accessibility.NewCheckingContextAsync(browser, 390, 844))
        {
            var page = await phone.NewPageAsync();
            page.SetDefaultTimeout(90_000);
            await SignInFromMailAsync(page, email, "/me", "/me");
            Assert.Contains("一度オンラインでお話しできれば", await page.InnerTextAsync("section[aria-labelledby=messages]"));
            Assert.Contains("Google Meet", await page.InnerTextAsync("section[aria-labelledby=interviews]"));
            await Accessibility.AssertNoSeriousViolationsAsync(page, "The /me page with a message and interview times");
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "/me scrolls sideways on a phone.");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("me-conversation.ja.png"), FullPage = true });

            // An empty answer is refused beside its box; then the answer goes.
            var box = $"#text-{agencyId}";
            await page.ClickAsync($"[data-thread-agency-id='{agencyId}'] form[action*='/messages/'] button[type=submit]");
            await page.WaitForSelectorAsync($"{box}[aria-invalid=true]");
            await page.FillAsync(box, "田中さま、ご連絡ありがとうございます。木曜の午後でお願いします。");
            await page.ClickAsync($"[data-thread-agency-id='{agencyId}'] form[action*='/messages/'] button[type=submit]");
            await page.WaitForSelectorAsync("text=メッセージを送信しました");
            Assert.Contains("木曜の午後でお願いします", await page.InnerTextAsync("ol.messages li.mine"));

            // The second time.
            await page.Locator("[data-interview-id] input[name=slotId]").Nth(1).CheckAsync();
            await page.ClickAsync("[data-interview-id] form[action$='/choose'] button[type=submit]");
            await page.WaitForSelectorAsync("text=面談日時を確定しました");
            var confirmed = await page.InnerTextAsync("[data-interview-id][data-status=scheduled]");
            Assert.Contains(new DateTimeOffset(second).ToOffset(TimeSpan.FromHours(9)).ToString("HH:mm"), confirmed);
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "/me scrolls sideways after choosing.");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("me-interview-confirmed.ja.png"), FullPage = true });
        }

        // At a desk: the consultant sees the answer and the confirmed interview; the list had said there was something unread.
        await using var desk = await Accessibility.NewCheckingContextAsync(browser, 1280, 800);
        var agencyPage = await desk.NewPageAsync();
        agencyPage.SetDefaultTimeout(90_000);
        await SignInFromMailAsync(agencyPage, consultant, "/signin", "/agency");
        await agencyPage.GotoAsync($"{App.BaseUrl}/agency/candidates");
        Assert.Contains("未読 1", await agencyPage.InnerTextAsync($"tr[data-candidate-id='{candidateId}']"));
        await agencyPage.ClickAsync($"tr[data-candidate-id='{candidateId}'] a[data-field=unread]");
        await agencyPage.WaitForSelectorAsync("section[aria-labelledby=messages]");
        Assert.Contains("木曜の午後でお願いします", await agencyPage.InnerTextAsync("section[aria-labelledby=messages]"));
        Assert.Contains("確定", await agencyPage.InnerTextAsync("[data-interview-id][data-status=scheduled]"));
        Assert.Equal("面談", await agencyPage.InnerTextAsync("[data-field=stage]"));
        await Accessibility.AssertNoSeriousViolationsAsync(agencyPage, "The agency's candidate page with messages and interviews");
        await agencyPage.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("agency-conversation.ja.png"), FullPage = true });

        // And in English, on a phone, the same page reads in English and fits.
        await agencyPage.SetViewportSizeAsync(390, 844);
        await agencyPage.GotoAsync($"{App.BaseUrl}/agency/candidates/{candidateId}?lang=en");
        Assert.Contains("Messages", await agencyPage.InnerTextAsync("#messages"));
        Assert.Contains("Confirmed", await agencyPage.InnerTextAsync("[data-interview-id][data-status=scheduled]"));
        Assert.True(await agencyPage.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The candidate page scrolls sideways on a phone.");
        await agencyPage.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("agency-conversation.en.390.png"), FullPage = true });
    }
}
