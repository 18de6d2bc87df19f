using System.Net;
using System.Text.RegularExpressions;
using CareerRelay.Web.Features.Referrals;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Referrals;

/// <summary>
/// Referral programmes: a referred person applies through a referrer's link and confirms; only then the company sees
/// them; the referrer sees stages and recognition, never the person's details or the company's notes; 不採用 relays.
/// </summary>
public abstract partial class ReferralTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private sealed record Setup(HttpClient Console, ApiClient.Tenant Company, string JobId, string ReferralPath, string StatusPath, string Page, string Admin);

    private async Task<Setup> SetUpAsync(string recognition = "points")
    {
        var admin = $"{ApiClient.Unique("hr")}@referral-co.example.jp";
        var company = await _api.CreateCompanyAsync("株式会社リファラル", admin);
        var jobId = await _api.CreateJobAsync(company.Key);
        var (console, _) = await SignInAsync(app, admin);
        var page = await console.GetStringAsync("/console/referrals");
        var programme = await console.PostAsync("/console/referrals/programmes",
            Form(page, ("name", "2027 社員紹介"), ("recognition", recognition), ("pointsPerReferral", "1"), ("pointsPerHire", "10")));
        Assert.Equal(HttpStatusCode.Created, programme.StatusCode);
        page = await programme.Content.ReadAsStringAsync();
        var programmeId = Regex.Match(page, "data-programme-id=\"([^\"]+)\"").Groups[1].Value;
        var referrer = await console.PostAsync("/console/referrals/referrers", Form(page, ("programmeId", programmeId), ("type", "employee"), ("name", "営業部 田中")));
        Assert.Equal(HttpStatusCode.Created, referrer.StatusCode);
        page = await referrer.Content.ReadAsStringAsync();
        Assert.Contains("紹介者「営業部 田中」を追加しました", page); // said, with what to do with the two links
        return new Setup(console, company, jobId, new Uri(Field(page, "referralLink")).AbsolutePath, new Uri(Field(page, "statusLink")).AbsolutePath, page, admin);
    }

    private async Task<string> ApplyAndConfirmAsync(Setup s, string name, string email)
    {
        var applied = await _api.Http.PostAsync(s.ReferralPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["jobId"] = s.JobId, ["name"] = name, ["email"] = email, ["phone"] = "090-1234-5678", ["skills"] = "法人営業、Excel",
            ["careerSummary"] = "法人営業5年", ["message"] = "田中さんの紹介で応募します", ["agree"] = "yes",
        }));
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var mail = await app.Mail.WaitForAsync(email);
        var confirmPath = Regex.Match(mail.Body, @"https?://[^/\s]+(/ref/confirm/[A-Za-z0-9_\-]+)").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync(confirmPath)).StatusCode); // a GET changes nothing
        return confirmPath;
    }

    [Fact]
    public async Task ReferralLink_KeepsItsSource_ToTheApplication_AndTheOperatorsBanClosesIt_UntilLifted()
    {
        var s = await SetUpAsync();
        // The company names its sources once, on a relay link; its referral links count the same names.
        await _api.PostAsync("/api/v1/company/links", new { label = "学内説明会", sources = new[] { "school" } }, s.Company.Key);
        var page = await _api.Http.GetStringAsync(s.ReferralPath + "?src=school");
        Assert.Contains("name=\"src\" value=\"school\"", page);
        Assert.DoesNotContain("name=\"src\"", await _api.Http.GetStringAsync(s.ReferralPath + "?src=tv"));
        var email = $"{ApiClient.Unique("src")}@example.jp";
        var applied = await _api.Http.PostAsync(s.ReferralPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["jobId"] = s.JobId, ["name"] = "学校 花子", ["email"] = email, ["agree"] = "yes", ["src"] = "school",
        }));
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var confirm = Regex.Match((await app.Mail.WaitForAsync(email)).Body, @"https?://[^/\s]+(/ref/confirm/[A-Za-z0-9_\-]+)").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.PostAsync(confirm, null)).StatusCode);
        Assert.Contains("流入元：school", await s.Console.GetStringAsync("/console/referrals"));

        // The operator bans the referrer: the link takes no one (the company cannot reopen it); lifted, it works again.
        var referrerId = Regex.Match(await s.Console.GetStringAsync("/console/referrals"), "data-referrer-id=\"([^\"]+)\"").Groups[1].Value;
        var (banned, state) = await _api.PostAsync($"/api/v1/admin/links/{referrerId}/ban", new { note = "架空の紹介が続いた" }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, banned);
        Assert.Equal(("referrer", true), (state!["kind"]!.GetValue<string>(), state["banned"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync(s.ReferralPath)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/v1/admin/links/{referrerId}/unban", new { }, CareerRelayApp.OperatorKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync(s.ReferralPath)).StatusCode);
    }

    [Fact]
    public async Task ReferredPerson_AppliesAndConfirms_CompanySeesThemOnlyThen_AndTheReferrerSeesStagesAndPoints()
    {
        var s = await SetUpAsync();
        var landing = await _api.Http.GetStringAsync(s.ReferralPath);
        Assert.Contains("営業部 田中", landing);
        Assert.Contains("株式会社リファラル", landing);

        var email = $"{ApiClient.Unique("ref")}@example.jp";
        var confirm = await ApplyAndConfirmAsync(s, "紹介 花子", email);
        Assert.DoesNotContain("紹介 花子", await s.Console.GetStringAsync("/console/referrals")); // not before confirming
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.PostAsync(confirm, null)).StatusCode);

        var console = await s.Console.GetStringAsync("/console/referrals");
        Assert.Contains("紹介 花子", console);
        Assert.Contains(email, console);
        Assert.Contains("田中さんの紹介で応募します", console);
        Assert.True(await app.WithDbAsync(db => db.ProvisionRecords.AnyAsync(p => p.RecipientType == "company" && p.RecipientId == s.Company.Id)));
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "referrals.list" && a.ActorId.StartsWith(s.Company.Id))));

        var status = await _api.Http.GetStringAsync(s.StatusPath);
        Assert.Contains("書類選考中", status);
        Assert.Contains("獲得ポイント: 1", status);
        Assert.DoesNotContain("紹介 花子", status);
        Assert.DoesNotContain(email, status);

        var id = Regex.Match(console, "data-application-id=\"([^\"]+)\"").Groups[1].Value;
        foreach (var stage in new[] { "interview", "offer", "hired" })
        {
            var page = await s.Console.GetStringAsync("/console/referrals");
            Assert.Equal(HttpStatusCode.OK, (await s.Console.PostAsync($"/console/referrals/applications/{id}/stage", Form(page, ("stage", stage)))).StatusCode);
        }
        status = await _api.Http.GetStringAsync(s.StatusPath);
        Assert.Contains("入社", status);
        Assert.Contains("獲得ポイント: 11", status);
        var dashboard = await s.Console.GetStringAsync("/console");
        Assert.Matches("data-field=\"referralsIn\"><span class=\"figure\">1<", dashboard);
        Assert.Matches("data-field=\"referralHires\"><span class=\"figure\">1<", dashboard);
        var (_, loop) = await _api.GetAsync("/api/v1/company/loop", s.Company.Key);
        Assert.Equal(1, ApiClient.Int(loop!, "referralHires"));
    }

    [Fact]
    public async Task ReferralHires_Leaving_IsRecordedByTheCompany_CountsInTheirRetention_AndTheReferrerIsNotTold()
    {
        var s = await SetUpAsync();
        var ids = new List<string>();
        foreach (var name in new[] { "定着 一郎", "退職 二郎" })
        {
            await _api.Http.PostAsync(await ApplyAndConfirmAsync(s, name, $"{ApiClient.Unique("hire")}@example.jp"), null);
            var listed = await s.Console.GetStringAsync("/console/referrals");
            var id = Regex.Matches(listed, "data-application-id=\"([^\"]+)\" data-stage=\"screening\"").Single().Groups[1].Value;
            foreach (var stage in new[] { "interview", "offer", "hired" })
                await s.Console.PostAsync($"/console/referrals/applications/{id}/stage", Form(await s.Console.GetStringAsync("/console/referrals"), ("stage", stage)));
            ids.Add(id);
        }
        var hiredOn = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(9));
        foreach (var wrong in new[] { hiredOn.AddDays(-1), hiredOn.AddDays(1) }) // before the hire; in the future
        {
            var refused = await s.Console.PostAsync($"/console/referrals/applications/{ids[1]}/left",
                Form(await s.Console.GetStringAsync("/console/referrals"), ("leftOn", wrong.ToString("yyyy-MM-dd"))));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains($"id=\"leftOn-{ids[1]}\"", await refused.Content.ReadAsStringAsync());
        }
        app.Clock.Advance(TimeSpan.FromDays(40));
        s = s with { Console = (await SignInAsync(app, s.Admin)).Browser }; // forty days on, the session has long ended
        var recorded = await s.Console.PostAsync($"/console/referrals/applications/{ids[1]}/left",
            Form(await s.Console.GetStringAsync("/console/referrals"), ("leftOn", hiredOn.AddDays(30).ToString("yyyy-MM-dd"))));
        Assert.Contains("退職日を記録しました", await recorded.Content.ReadAsStringAsync());
        Assert.DoesNotContain("退職", await _api.Http.GetStringAsync(s.StatusPath));

        var (_, early) = await _api.GetAsync("/api/v1/company/retention", s.Company.Key);
        Assert.Equal(0, early!["referralHires"]!["retention"]!["known"]!.GetValue<int>()); // six months not over yet
        app.Clock.Advance(TimeSpan.FromDays(170));
        var (_, later) = await _api.GetAsync("/api/v1/company/retention", s.Company.Key);
        Assert.Equal(2, later!["referralHires"]!["retention"]!["known"]!.GetValue<int>());
        Assert.Equal(1, later["referralHires"]!["retention"]!["stayed"]!.GetValue<int>());
        Assert.Equal(50.0, later["referralHires"]!["retention"]!["rate"]!.GetValue<double>());
        Assert.Equal(2, later["referralHires"]!["leadTime"]!["people"]!.GetValue<int>());
        var (console, _) = await SignInAsync(app, s.Admin);
        Assert.Contains("定着率（リファラル経由の採用・6か月）", await console.GetStringAsync("/console"));
    }

    [Fact]
    public async Task Rejection_RelaysThePersonWithAPersonalInvitation_AndTheReferrerSeesNeitherNotesNorDetails()
    {
        var s = await SetUpAsync(recognition: "thanks");
        var email = $"{ApiClient.Unique("reject")}@example.jp";
        await _api.Http.PostAsync(await ApplyAndConfirmAsync(s, "見送り 次郎", email), null);
        var page = await s.Console.GetStringAsync("/console/referrals");
        var id = Regex.Match(page, "data-application-id=\"([^\"]+)\"").Groups[1].Value;
        await s.Console.PostAsync($"/console/referrals/applications/{id}/notes", Form(page, ("notes", "面接官メモ：志望動機が弱い"), ("thanks", "ご紹介ありがとうございました")));

        page = await s.Console.GetStringAsync("/console/referrals");
        var rejected = await s.Console.PostAsync($"/console/referrals/applications/{id}/stage", Form(page, ("stage", "rejected")));
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);

        var relay = await app.Mail.WaitForAsync(email, 2); // the confirmation, then the relay invitation
        Assert.Matches(@"/r/inv_[A-Za-z0-9_\-]+", relay.Body);
        Assert.Contains("見送り 次郎 様", relay.Body);
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(s.Company.Key), "invitationsSent"));
        Assert.Equal(1, ApiClient.Int((await _api.GetAsync("/api/v1/company/loop", s.Company.Key)).Body!, "rejectionsRelayed"));

        // Moving a closed application again is refused, and changes nothing.
        page = await s.Console.GetStringAsync("/console/referrals");
        Assert.Equal(HttpStatusCode.Conflict, (await s.Console.PostAsync($"/console/referrals/applications/{id}/stage", Form(page, ("stage", "offer")))).StatusCode);

        var status = await _api.Http.GetStringAsync(s.StatusPath);
        Assert.Contains("不採用", status);
        Assert.Contains("ご紹介ありがとうございました", status);
        Assert.DoesNotContain("面接官メモ", status);
        Assert.DoesNotContain("見送り", status);
    }

    [Fact]
    public async Task AnotherCompany_NeitherSeesNorMovesTheApplication_AndErasureRemovesItFromTheCompanysView()
    {
        var s = await SetUpAsync();
        var email = $"{ApiClient.Unique("private")}@example.jp";
        await _api.Http.PostAsync(await ApplyAndConfirmAsync(s, "秘密 三郎", email), null);
        var id = Regex.Match(await s.Console.GetStringAsync("/console/referrals"), "data-application-id=\"([^\"]+)\"").Groups[1].Value;

        var other = $"{ApiClient.Unique("other")}@other-co.example.jp";
        await _api.CreateCompanyAsync(contactEmail: other);
        var (otherConsole, _) = await SignInAsync(app, other);
        var otherPage = await otherConsole.GetStringAsync("/console/referrals");
        Assert.DoesNotContain("秘密 三郎", otherPage);
        Assert.Equal(HttpStatusCode.NotFound, (await otherConsole.PostAsync($"/console/referrals/applications/{id}/stage", Form(otherPage, ("stage", "rejected")))).StatusCode);

        var me = await _api.MeTokenAsync(email);
        var (_, export) = await _api.PostAsync("/api/v1/public/me/export", new { token = me });
        var exported = Assert.Single(export!["referralApplications"]!.AsArray())!;
        Assert.Equal("株式会社リファラル", exported["company"]!.GetValue<string>());
        Assert.Equal("秘密 三郎", exported["shared"]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/erase", new { token = me })).Status);
        Assert.DoesNotContain("秘密 三郎", await s.Console.GetStringAsync("/console/referrals"));
    }

    [Fact]
    public async Task BadInput_IsAnsweredWithAFriendlyPage_AndWritesNothing()
    {
        var s = await SetUpAsync();
        var missing = await _api.Http.PostAsync(s.ReferralPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["jobId"] = "not-a-job", ["name"] = "", ["email"] = "nope",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var html = await missing.Content.ReadAsStringAsync();
        Assert.Contains("応募する求人を選んでください", html);
        Assert.Contains("同意が必要です", html);
        Assert.Equal(0, await app.WithDbAsync(db => db.ReferralApplications.CountAsync(a => a.CompanyId == s.Company.Id)));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync("/ref/unknown-token")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.PostAsync("/ref/confirm/unknown-code", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync("/ref/status/unknown-token")).StatusCode);
    }

    private static string Field(string html, string field) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"value=\"([^\"]*)\" data-field=\"{field}\"").Groups[1].Value);
}

public sealed class ReferralTestsOnSqlite(SqliteApp app) : ReferralTests(app), IClassFixture<SqliteApp>;
public sealed class ReferralTestsOnPostgres(PostgresApp app) : ReferralTests(app), IClassFixture<PostgresApp>;

/// <summary>The trust arithmetic that orders incoming referrals.</summary>
public sealed class ReferrerTrustTests
{
    private static TrustFigures Figures(params (string Stage, bool Passed)[] apps) => TrustFigures.Of(apps);

    [Fact]
    public void Rates_CountDecidedApplicationsOnly()
    {
        var f = Figures(("screening", false), ("interview", true), ("rejected", false), ("hired", true), ("rejected", true), ("pending_verification", false));
        Assert.Equal(5, f.Referrals);          // the unconfirmed one is not a referral yet
        Assert.Equal(3, f.Passed);             // interview, hired, and the one rejected after interview
        Assert.Equal(1, f.FailedScreening);    // rejected at screening
        Assert.Equal(0.75, f.PassRate);        // 3 of 4 decided at screening; the one still in screening does not count
        Assert.Equal(1, f.Hired);
        Assert.Equal(1 / 3.0, f.HireRate!.Value, 6); // hired of the closed ones (hired + two rejected)
        Assert.Null(Figures(("screening", false)).PassRate);
    }

    [Fact]
    public void Score_ShrinksTowardsTheTypeRate_SoOneLuckyReferralDoesNotJumpTheQueue()
    {
        var type = Figures(("interview", true), ("rejected", false), ("rejected", false), ("rejected", false)); // 25 %
        var company = Figures(("interview", true), ("rejected", false)); // 50 %
        var proven = Figures(("interview", true), ("interview", true), ("offer", true), ("hired", true)); // 4 of 4
        var lucky = Figures(("interview", true)); // 1 of 1
        var fresh = Figures(("screening", false));
        var poor = Figures(("rejected", false), ("rejected", false), ("rejected", false));

        Assert.Equal((4 + 2 * 0.25) / 6, ReferrerTrust.Score(proven, type, company), 9);
        Assert.Equal((1 + 2 * 0.25) / 3, ReferrerTrust.Score(lucky, type, company), 9);
        Assert.Equal(0.25, ReferrerTrust.Score(fresh, type, company), 9); // nothing decided: the type's rate
        Assert.True(ReferrerTrust.Score(proven, type, company) > ReferrerTrust.Score(lucky, type, company));
        Assert.True(ReferrerTrust.Score(lucky, type, company) > ReferrerTrust.Score(fresh, type, company));
        Assert.True(ReferrerTrust.Score(fresh, type, company) > ReferrerTrust.Score(poor, type, company));
        // No type history: the company's rate; no history at all: ½.
        Assert.Equal(0.5, ReferrerTrust.Score(fresh, default, company), 9);
        Assert.Equal(0.5, ReferrerTrust.Score(fresh, default, default), 9);
    }
}
