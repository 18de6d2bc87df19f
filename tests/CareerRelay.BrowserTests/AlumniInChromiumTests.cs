using Microsoft.Playwright;

namespace CareerRelay.BrowserTests;

/// <summary>
/// アルムナイ in real Chromium: HR creates an alumni link in the console; a former employee joins on a phone — nothing ticked
/// for them, a mistake shown beside its field with what they typed kept — and confirms from the mail; HR sees only what they
/// shared and records the re-hire; the person sees on /me what the company sees. The pages pass the accessibility check.
/// </summary>
public sealed class AlumniInChromiumTests(BrowserApp app) : InChromium(app)
{
    [Fact]
    public async Task FormerEmployee_JoinsOnAPhone_HrSeesOnlyWhatTheyShared_AndRecordsTheirReturn()
    {
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        const string contact = "hr@alumni-shoji.example";
        await RelayInChromiumTests.SetUpRelayAsync(http, contact);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await RelayInChromiumTests.LaunchAsync(playwright);
        await using var laptop = await Accessibility.NewCheckingContextAsync(browser);
        var hr = await laptop.NewPageAsync();
        hr.SetDefaultTimeout(90_000);
        await SignInFromMailAsync(hr, contact, "/signin", "/console");
        await hr.ClickAsync("nav >> text=アルムナイ");
        await hr.FillAsync("#label", "2026年度 退職者");
        await hr.FillAsync("#message", "一緒に働いた皆さんへ。またご縁がありますように。");
        await hr.ClickAsync("text=アルムナイリンクを作る");
        await hr.WaitForSelectorAsync("p[role=status]");
        var link = await hr.InputValueAsync("[data-alumni-link] [data-field=url]");
        await Accessibility.AssertNoSeriousViolationsAsync(hr, "/console/alumni");

        // The former employee, on a phone: nothing is ticked for them; the page fits the screen.
        await using var phone = await Accessibility.NewCheckingContextAsync(browser, 390, 844);
        var person = await phone.NewPageAsync();
        person.SetDefaultTimeout(90_000);
        await person.GotoAsync(link);
        Assert.Contains("一緒に働いた皆さんへ", await person.InnerTextAsync("[data-field=message]"));
        Assert.Equal(0, await person.Locator("input[type=checkbox]:checked").CountAsync());
        Assert.True(await person.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The join page scrolls sideways on a phone.");
        await Accessibility.AssertNoSeriousViolationsAsync(person, "The alumni join page");
        await person.FillAsync("#name", "出戻 さくら");
        await person.FillAsync("#email", "sakura.alumni@example.jp");
        await person.FillAsync("#joinedYear", "2019");
        await person.FillAsync("#leftYear", "2017"); // before joining: refused beside the field
        await person.FillAsync("#lastRole", "カスタマーサクセス");
        await person.Locator("input[name=openTo][value=rehire]").CheckAsync();
        await person.Locator("input[name=share][value=name]").CheckAsync();
        await person.Locator("input[name=share][value=lastRole]").CheckAsync();
        await person.ClickAsync("button[type=submit]");
        await person.WaitForSelectorAsync("#leftYear-error");
        Assert.Equal("カスタマーサクセス", await person.InputValueAsync("#lastRole"));
        Assert.True(await person.Locator("input[name=share][value=lastRole]").IsCheckedAsync());
        await person.FillAsync("#leftYear", "2024");
        await person.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("alumni-join-phone.ja.png"), FullPage = true });
        await person.ClickAsync("button[type=submit]");
        await person.WaitForSelectorAsync("text=確認メールを送りました");
        await person.GotoAsync(await RelayInChromiumTests.WaitForLinkAsync(App, "sakura.alumni@example.jp", "/a/confirm/"));
        await person.ClickAsync("button[type=submit]");
        await person.WaitForSelectorAsync("text=アルムナイへの参加が確定しました");

        // HR: the name and role they shared, not their address; the re-hire is recorded and counted.
        await hr.GotoAsync(App.BaseUrl + "/console/alumni");
        var member = hr.Locator("article[data-member-id]");
        Assert.Contains("出戻 さくら", await member.InnerTextAsync());
        Assert.Contains("カスタマーサクセス", await member.InnerTextAsync());
        Assert.DoesNotContain("sakura.alumni", await hr.InnerTextAsync("main"));
        await member.Locator("input[type=date]").FillAsync(DateTime.UtcNow.AddHours(9).ToString("yyyy-MM-dd"));
        await member.Locator("button:has-text('再入社・業務委託を記録')").ClickAsync();
        await hr.WaitForSelectorAsync("p[role=status]");
        Assert.Equal("1", await hr.InnerTextAsync("[data-field=alumniRehires] .figure"));
        await hr.ScreenshotAsync(new PageScreenshotOptions { Path = ShotPath("console-alumni-member.ja.png"), FullPage = true });

        // The person, on /me: the membership and exactly what the company sees, in English too.
        await SignInFromMailAsync(person, "sakura.alumni@example.jp", "/me", "/me");
        var membership = await person.InnerTextAsync("[data-membership]");
        Assert.Contains("カスタマーサクセス", membership);
        Assert.DoesNotContain("2019", membership); // not shared, not listed as seen
        await person.GotoAsync(App.BaseUrl + "/me?lang=en");
        Assert.Contains("What ", await person.InnerTextAsync("[data-membership]"));
        await Accessibility.AssertNoSeriousViolationsAsync(person, "/me with an alumni membership");
    }
}
