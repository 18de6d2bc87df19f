using System.Net;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Candidates;

/// <summary>再応募: the candidate asks the company that rejected them to reconsider, sharing only what they choose.</summary>
public abstract class ReapplicationTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task Reapplication_SharesOnlyTheChosenItems_OncePerCompany_ShowsOnTheDashboard_AndGoesWithErasure()
    {
        var hr = $"{ApiClient.Unique("hr")}@reapply-co.example.jp";
        var (company, agency, _, token) = await _api.CreateRelayAsync(contactEmail: hr);
        var email = $"{ApiClient.Unique("again")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id, phone: "080-2222-3333", name: "再挑戦 一郎");
        var me = await _api.MeTokenAsync(email);
        var browser = Browser(app);
        await browser.PostAsync($"/me/{me}", Form(await browser.GetStringAsync($"/me/{me}")));
        var page = await browser.GetStringAsync("/me");
        // Some work history the person does not choose to share.
        await browser.PostAsync("/me/profile", Form(page, ("name", "再挑戦 一郎"), ("phone", "080-2222-3333"), ("work0.company", "秘密工業株式会社")));
        page = await browser.GetStringAsync("/me");
        Assert.Contains("再応募", page);

        var done = await browser.PostAsync("/me/reapplications", Form(page, ("companyId", company.Id), ("share", "contact"), ("message", "改めてご検討ください。")));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        page = await browser.GetStringAsync("/me");
        Assert.Contains($"data-reapplied=\"{company.Id}\"", page);
        await browser.PostAsync("/me/reapplications", Form(page, ("companyId", company.Id), ("share", "workHistory")));
        var other = await _api.CreateCompanyAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync("/me/reapplications", Form(page, ("companyId", other.Id)))).StatusCode);

        var (console, _) = await SignInAsync(app, hr);
        var requests = await console.GetStringAsync("/console/reapplications");
        Assert.Contains("再挑戦 一郎", requests);
        Assert.Contains(email, requests);
        Assert.Contains("改めてご検討ください。", requests);
        Assert.DoesNotContain("秘密工業株式会社", requests); // not chosen, not shared
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(requests, "data-reapplication-id"));
        Assert.Matches(@"data-field=""reapplications""><span class=""figure"">100\.0%</span>", await console.GetStringAsync("/console"));
        Assert.Equal(1, await app.WithDbAsync(db => db.ProvisionRecords.CountAsync(p => p.RecipientId == company.Id && p.RecipientType == "company")));

        await _api.PostAsync("/api/v1/public/me/erase", new { token = me });
        Assert.DoesNotContain("再挑戦 一郎", await console.GetStringAsync("/console/reapplications"));
    }
}

public sealed class ReapplicationTestsOnSqlite(SqliteApp app) : ReapplicationTests(app), IClassFixture<SqliteApp>;
public sealed class ReapplicationTestsOnPostgres(PostgresApp app) : ReapplicationTests(app), IClassFixture<PostgresApp>;
