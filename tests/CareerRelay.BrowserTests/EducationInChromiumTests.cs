using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>
/// 教育機関パートナー in real Chromium: a training provider publishes a course on its page (a mistake shown beside its field); a
/// person on a phone names their school on the relay form (outcomes ticked; a slip shown beside its field) and later their name on /me, turns course suggestions on, sees the course for the skill
/// their recommended job asks, asks about it sending only their address; the provider records the completion and the person
/// confirms it; the school sees the person by name and the figures below five as such. No page scrolls sideways on a phone;
/// every page passes the accessibility check; ja and en.
/// </summary>
public sealed class EducationInChromiumTests(BrowserApp app) : InChromium(app)
{
    [Fact]
    public async Task ProviderPublishes_PersonOnAPhoneAsksAndConfirmsTheCompletion_SchoolSeesWhatThePersonChose()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        var (_, agencyId, token) = await RelayInChromiumTests.SetUpRelayAsync(http, "hr@edu-shoji.example");
        Task<System.Text.Json.Nodes.JsonObject> AdminAsync(string path, object body) => RelayInChromiumTests.SendWithKeyAsync(http, HttpMethod.Post, path, body, BrowserApp.OperatorKey);
        // A company hiring through every agency asks for Python, which the person does not list.
        var hiring = await AdminAsync("/api/v1/admin/companies", new { name = "みどり物流株式会社", contactEmail = "saiyo@midori-logi.example" });
        await RelayInChromiumTests.SendWithKeyAsync(http, HttpMethod.Post, "/api/v1/company/jobs", new
        {
            title = "営業事務（データ集計）", description = "受発注の管理と売上データの集計", prefecture = "13", skills = new[] { "法人営業", "Python" },
            employmentType = "full_time", salaryMin = 3_600_000, salaryMax = 4_800_000,
        }, hiring["apiKey"]!.GetValue<string>());
        var school = await AdminAsync("/api/v1/admin/education-partners", new { name = "みどり大学 キャリアセンター", kind = "university", contactEmail = "career@midori-u.example" });
        await AdminAsync("/api/v1/admin/education-partners", new { name = "リスキル・アカデミー", kind = "training_provider", contactEmail = "info@reskill.example" });
        const string email = "yui.sato@example.jp";

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);

        // The person registers on a phone from the rejection mail's link, naming their school in the folded part of the form.
        await using var phone = await Accessibility.NewCheckingContextAsync(browser, 390, 844);
        var person = await phone.NewPageAsync();
        person.SetDefaultTimeout(90_000);
        await person.GotoAsync($"{App.BaseUrl}/r/{token}");
        Assert.False(await person.IsVisibleAsync("#schoolId")); // folded: the relay form stays short
        await person.FillAsync("#name", "佐藤 結衣");
        await person.FillAsync("#email", email);
        await person.SelectOptionAsync("#prefecture", "13");
        await person.FillAsync("#skills", "法人営業、Excel");
        await person.Locator($"input[name=agencyIds][value='{agencyId}']").CheckAsync();
        await person.ClickAsync("#school-details summary");
        await person.SelectOptionAsync("#schoolId", school["id"]!.GetValue<string>());
        await person.FillAsync("#graduationYear", "1890"); // a slip: refused beside the field, the school part still open
        await person.CheckAsync("#shareSchoolOutcomes");
        await person.CheckAsync("input[name=agree]");
        await person.ClickAsync("form button[type=submit]");
        await person.WaitForSelectorAsync("#graduationYear-error");
        Assert.True(await person.IsVisibleAsync("#graduationYear"));
        Assert.True(await person.IsCheckedAsync("#shareSchoolOutcomes"));
        Assert.True(await person.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The landing page scrolls sideways on a phone.");
        await Accessibility.AssertNoSeriousViolationsAsync(person, "The landing page with the school part open");
        await person.FillAsync("#graduationYear", "2025");
        await person.Locator($"input[name=agencyIds][value='{agencyId}']").CheckAsync();
        await person.CheckAsync("input[name=agree]");
        await person.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("landing-school-phone.ja.png"), FullPage = true });
        await person.ClickAsync("form button[type=submit]");
        await person.ArriveAtAsync(new Regex("/sent"));
        await person.GotoAsync(await RelayInChromiumTests.WaitForLinkAsync(App, email, "/verify/"));
        await person.ClickAsync("button[type=submit]");
        await person.WaitForSelectorAsync("text=登録が完了しました");

        // The provider publishes a course on its page: an in-person course without its place is refused beside the field.
        await using var laptop = await Accessibility.NewCheckingContextAsync(browser);
        var provider = await laptop.NewPageAsync();
        provider.SetDefaultTimeout(90_000);
        await SignInFromMailAsync(provider, "info@reskill.example", "/signin", "/provider");
        await provider.ClickAsync("nav >> text=講座");
        await provider.FillAsync("#title", "Excel業務の自動化（Python入門）");
        await provider.FillAsync("#description", "毎日の集計作業を Python で自動化します。夜間・週末のオンライン講座です。");
        await provider.FillAsync("#skills", "Python、データ集計");
        await provider.FillAsync("#hours", "24");
        await provider.FillAsync("#priceYen", "59800");
        await provider.SelectOptionAsync("#mode", "in_person");
        await provider.ClickAsync("section[aria-labelledby=new-course] button[type=submit]");
        await provider.WaitForSelectorAsync("#prefecture-error");
        Assert.Equal("Excel業務の自動化（Python入門）", await provider.InputValueAsync("#title"));
        await provider.SelectOptionAsync("#mode", "online");
        await provider.CheckAsync("input[name=benefitEligible]");
        await provider.ClickAsync("section[aria-labelledby=new-course] button[type=submit]");
        await provider.WaitForSelectorAsync("p[role=status]");
        Assert.Contains("Excel業務の自動化（Python入門）", await provider.InnerTextAsync("tr[data-course-id]"));
        await Accessibility.AssertNoSeriousViolationsAsync(provider, "/provider/courses");
        await provider.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("provider-course-published.ja.png"), FullPage = true });

        // On their page: the school from the form, outcomes shared as ticked; they add their name, then turn suggestions on.
        await SignInFromMailAsync(person, email, "/me", "/me");
        Assert.Equal(school["id"]!.GetValue<string>(), await person.InputValueAsync("#schoolId"));
        Assert.Equal("2025", await person.InputValueAsync("#graduationYear"));
        Assert.True(await person.IsCheckedAsync("#shareOutcomes"));
        Assert.False(await person.IsCheckedAsync("#shareName"));
        await person.CheckAsync("#shareName");
        await person.ClickAsync("section[aria-labelledby=school] button[type=submit]");
        await person.WaitForSelectorAsync("text=学校の設定を保存しました");
        Assert.Contains("お名前と進み具合", await person.InnerTextAsync("[data-field=schoolSees]"));
        Assert.Equal(0, await person.Locator("article[data-course-id]").CountAsync()); // nothing suggested until they ask for it
        await person.ClickAsync("text=講座の提案をオンにする");
        await person.WaitForSelectorAsync("article[data-course-id]");
        var suggestion = person.Locator("article[data-course-id]");
        Assert.Contains("おすすめ求人1件で必須の「Python」を学べます", await suggestion.InnerTextAsync());
        Assert.Contains("教育訓練給付", await suggestion.InnerTextAsync());
        Assert.True(await person.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "/me scrolls sideways on a phone.");
        await Accessibility.AssertNoSeriousViolationsAsync(person, "/me with course suggestions");
        await person.Locator("#courses").ScrollIntoViewIfNeededAsync();
        await person.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("me-course-suggestions-phone.ja.png") });

        // Asking: only the address, the name unticked; the provider sees exactly that.
        await suggestion.Locator("input[name=send][value=name]").UncheckAsync();
        await suggestion.Locator("button[type=submit]").ClickAsync();
        await person.WaitForSelectorAsync("text=講座の提供者に問い合わせました");
        Assert.Contains("問い合わせ済み", await person.InnerTextAsync("article[data-course-id]"));
        await provider.ClickAsync("nav >> text=問い合わせ");
        var request = provider.Locator("section[data-request-id]");
        Assert.Contains(email, await request.InnerTextAsync());
        Assert.DoesNotContain("佐藤", await request.InnerTextAsync());
        await request.Locator("input[type=date]").FillAsync(DateTime.UtcNow.AddHours(9).ToString("yyyy-MM-dd"));
        await request.Locator("button[type=submit]").ClickAsync();
        await provider.WaitForSelectorAsync("text=修了を記録しました");
        await Accessibility.AssertNoSeriousViolationsAsync(provider, "/provider/requests");

        // The person confirms: the course's skill is theirs now, with its source.
        await person.GotoAsync(App.BaseUrl + "/me");
        await person.ClickAsync("text=修了を確認する");
        await person.WaitForSelectorAsync("text=修了を確認しました");
        Assert.Contains("受講修了: Excel業務の自動化（Python入門）（リスキル・アカデミー）", await person.InnerTextAsync("[data-field=completedCourses]"));
        await person.GotoAsync(App.BaseUrl + "/me?lang=en");
        Assert.Contains("Course completed: ", await person.InnerTextAsync("[data-field=completedCourses]"));
        Assert.True(await person.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "/me in English scrolls sideways on a phone.");
        await person.Locator("#courses").ScrollIntoViewIfNeededAsync();
        await person.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("me-courses-phone.en.png") });

        // The school: the person by name, every figure below five said as such — on a laptop and on a phone, ja and en.
        var schoolPage = await laptop.NewPageAsync();
        schoolPage.SetDefaultTimeout(90_000);
        await SignInFromMailAsync(schoolPage, "career@midori-u.example", "/signin", "/school");
        Assert.Contains("佐藤 結衣", await schoolPage.InnerTextAsync("section[aria-labelledby=named]"));
        Assert.Equal("5人未満", await schoolPage.InnerTextAsync("[data-field=registered] .figure"));
        await Accessibility.AssertNoSeriousViolationsAsync(schoolPage, "/school");
        await schoolPage.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("school-named-graduate.ja.png"), FullPage = true });
        await schoolPage.ClickAsync("text=English");
        await schoolPage.WaitForSelectorAsync("text=Graduates’ outcomes");
        Assert.Equal("fewer than 5", await schoolPage.InnerTextAsync("[data-field=registered] .figure"));
        await schoolPage.SetViewportSizeAsync(390, 844);
        Assert.True(await schoolPage.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "/school scrolls sideways on a phone.");
        await schoolPage.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("school-named-graduate-phone.en.png"), FullPage = true });
        Assert.Matches(new Regex("/school\\?lang=en$"), schoolPage.Url);
    }
}
