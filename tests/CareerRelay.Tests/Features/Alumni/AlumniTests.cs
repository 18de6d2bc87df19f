using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CareerRelay.Tests.Features.Candidates;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Alumni;

/// <summary>
/// アルムナイ: former employees join a company's alumni network through its link and confirm; the company sees only what each
/// chose to share, records re-hires and contracts, mails open jobs to those who asked, makes referrers; the person sees and
/// leaves on /me, and erasure leaves nothing of them.
/// </summary>
public abstract class AlumniTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private sealed record Setup(ApiClient.Tenant Company, string Admin, string Token, string LinkId);

    private async Task<Setup> SetUpAsync()
    {
        var admin = $"{ApiClient.Unique("hr")}@alumni-co.example.jp";
        var company = await _api.CreateCompanyAsync("株式会社アルムナイ", admin);
        var (status, link) = await _api.PostAsync("/api/v1/company/alumni-links", new { label = "2026年度 退職者" }, company.Key);
        Assert.Equal(HttpStatusCode.Created, status);
        var token = link!["token"]!.GetValue<string>();
        Assert.EndsWith($"/a/{token}", link["url"]!.GetValue<string>());
        return new Setup(company, admin, token, link["id"]!.GetValue<string>());
    }

    /// <summary>Joins through the public API, reads the confirmation link from the real mail, and confirms by POST.</summary>
    private async Task<string> JoinAndConfirmAsync(string token, string email, string name, string[] openTo, string[] share, object? consent = null,
        string lastRole = "経理")
    {
        var earlier = app.Mail.All().Count(m => m.To == email);
        var (status, body) = await _api.PostAsync("/api/v1/public/alumni", new
        {
            token, name, email, joinedYear = 2018, leftYear = 2024, lastRole, openTo, share, consent, lang = "ja",
        });
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("pending_verification", body!["status"]!.GetValue<string>());
        var mail = await app.Mail.WaitForAsync(email, earlier + 1);
        var confirm = Regex.Match(mail.Body, @"https?://[^/\s]+(/a/confirm/[A-Za-z0-9_\-]+)").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync(confirm)).StatusCode); // a GET (a mail scanner) changes nothing
        return confirm;
    }

    private async Task<List<System.Text.Json.Nodes.JsonNode>> MembersAsync(string key) =>
        [.. (await _api.GetAsync("/api/v1/company/alumni", key)).Body!["items"]!.AsArray().Select(i => i!)];

    [Fact]
    public async Task Alumnus_JoinsAndConfirms_CompanySeesOnlyWhatTheyShared_RecordsARehire_TheFiguresCount_AndTheyLeaveFromMe()
    {
        var s = await SetUpAsync();
        var email = $"{ApiClient.Unique("alum")}@example.jp";
        var confirm = await JoinAndConfirmAsync(s.Token, email, "出戻 花子", ["referral", "rehire"], ["openTo", "name", "lastRole"]);
        Assert.Empty(await MembersAsync(s.Company.Key)); // nothing before confirming

        Assert.Equal(HttpStatusCode.OK, (await _api.Http.PostAsync(confirm, null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.PostAsync(confirm, null)).StatusCode); // again: no change
        var member = Assert.Single(await MembersAsync(s.Company.Key));
        Assert.Equal("出戻 花子", member["fields"]!["name"]!.GetValue<string>());
        Assert.Equal("経理", member["fields"]!["lastRole"]!.GetValue<string>());
        Assert.Null(member["fields"]!["email"]); // not shared: not there
        Assert.Null(member["fields"]!["joinedYear"]);
        Assert.Equal(["name", "lastRole", "openTo"], member["shared"]!.AsArray().Select(x => x!.GetValue<string>())); // in the form's order
        Assert.Equal(["rehire", "referral"], member["fields"]!["openTo"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.DoesNotContain(email, (await _api.GetAsync("/api/v1/company/alumni", s.Company.Key)).Body!.ToJsonString());
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "alumni.list" && a.ActorId.StartsWith(s.Company.Id))));
        Assert.True(await app.WithDbAsync(db => db.ProvisionRecords.AnyAsync(p => p.RecipientType == "company" && p.RecipientId == s.Company.Id
            && p.Items == "name,lastRole,openTo")));
        // Joining is never a qualified referral: the company's slot counts do not move.
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(s.Company.Key), "qualifiedReferrals"));

        // Re-hire: 201, the same again 200 with the same record; bad input 400; another company's member 404.
        var id = member["id"]!.GetValue<string>();
        var day = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(9)).ToString("yyyy-MM-dd");
        var (created, rehire) = await _api.PostAsync($"/api/v1/company/alumni/{id}/rehire", new { on = day, kind = "rehire" }, s.Company.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        var (again, same) = await _api.PostAsync($"/api/v1/company/alumni/{id}/rehire", new { on = day, kind = "rehire" }, s.Company.Key);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(rehire!["id"]!.GetValue<string>(), same!["id"]!.GetValue<string>());
        var (bad, problem) = await _api.PostAsync($"/api/v1/company/alumni/{id}/rehire", new { on = "2026-13-01", kind = "boomerang" }, s.Company.Key);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("validation_failed", problem!["code"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["on"]);
        Assert.NotNull(problem["errors"]!["kind"]);
        var other = await _api.CreateCompanyAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/company/alumni/{id}/rehire", new { on = day, kind = "rehire" }, other.Key)).Status);
        Assert.Empty(await MembersAsync(other.Key));
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/v1/company/alumni/{id}/rehire", new { on = day, kind = "contract" }, s.Company.Key)).Status);

        // The figures: the dashboard card, the month's report and its CSV.
        var (console, _) = await SignInAsync(app, s.Admin);
        var dashboard = await console.GetStringAsync("/console");
        Assert.Matches("data-field=\"alumniMembers\"><span class=\"figure\">1<", dashboard);
        Assert.Matches("data-field=\"alumniRehires\"><span class=\"figure\">1<", dashboard);
        Assert.Matches("data-field=\"alumniContracts\"><span class=\"figure\">1<", dashboard);
        var csv = await console.GetStringAsync("/console/reports.csv");
        Assert.Matches(@",alumniMembers,[^,]+,1\r\n", csv);
        Assert.Matches(@",alumniRehires,[^,]+,1\r\n", csv);
        Assert.Matches(@",alumniContracts,[^,]+,1\r\n", csv);
        Assert.Matches(@",alumniReferrals,[^,]+,0\r\n", csv);
        var alumniPage = await console.GetStringAsync("/console/alumni");
        Assert.Contains("出戻 花子", alumniPage);
        Assert.Contains("再入社：" + day, alumniPage);
        Assert.DoesNotContain(email, alumniPage);

        // The person sees the membership and what the company sees, and leaves: the company no longer lists them.
        var me = await CandidateAsync(app, _api, email);
        var mePage = await me.GetStringAsync("/me");
        Assert.Contains("株式会社アルムナイ のアルムナイから退会する", mePage);
        Assert.Matches("<dt>最後の職種・役職</dt><dd>経理</dd>", mePage);
        var export = System.Text.Json.Nodes.JsonNode.Parse(await me.GetStringAsync("/me/export.json"))!;
        var exported = Assert.Single(export["alumniMemberships"]!.AsArray())!;
        Assert.Equal("株式会社アルムナイ", exported["company"]!.GetValue<string>());
        Assert.Equal(2018, exported["details"]!["joinedYear"]!.GetValue<int>()); // all they entered, shared or not
        var leave = await me.PostAsync($"/me/alumni/{id}/leave", Form(mePage));
        Assert.Equal(HttpStatusCode.Redirect, leave.StatusCode);
        Assert.Contains("アルムナイから退会しました", await me.GetStringAsync(leave.Headers.Location!.OriginalString));
        Assert.Empty(await MembersAsync(s.Company.Key));
        Assert.Equal(HttpStatusCode.NotFound, (await me.PostAsync($"/me/alumni/{id}/leave", Form(await me.GetStringAsync("/me")))).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.AlumniMembers.Where(m => m.Id == id).Select(m => m.Details.Length).SingleAsync()));
        // The company's own record of the re-hire stays (a day and a kind, no one's data).
        Assert.Matches("data-field=\"alumniRehires\"><span class=\"figure\">1<", await console.GetStringAsync("/console"));
    }

    [Fact]
    public async Task Join_RefusesBadInput_WithFieldErrors_APausedLinkTakesNoOne_AndAnUnknownTokenIs404()
    {
        var s = await SetUpAsync();
        var (status, problem) = await _api.PostAsync("/api/v1/public/alumni", new
        {
            token = s.Token, name = "", email = "not-an-address", joinedYear = 2020, leftYear = 2019, openTo = new[] { "rehire", "ceo" },
            share = new[] { "salary" }, lang = "en",
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_failed", problem!["code"]!.GetValue<string>());
        foreach (var field in new[] { "name", "email", "leftYear", "openTo", "share" }) Assert.NotNull(problem["errors"]![field]);

        // career_support is the relay registration's consent: without an agency it is refused, as there.
        var email = $"{ApiClient.Unique("alum")}@example.jp";
        var (noConsent, refused) = await _api.PostAsync("/api/v1/public/alumni", new { token = s.Token, name = "支援 希望", email, openTo = new[] { "career_support" } });
        Assert.Equal(HttpStatusCode.BadRequest, noConsent);
        Assert.Equal("consent_required", refused!["code"]!.GetValue<string>());
        Assert.DoesNotContain(app.Mail.All(), m => m.To == email);

        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/v1/company/alumni-links/{s.LinkId}/pause", null, s.Company.Key)).Status);
        var (paused, _) = await _api.PostAsync("/api/v1/public/alumni", new { token = s.Token, name = "停止 中", email, openTo = new[] { "rehire" } });
        Assert.Equal(HttpStatusCode.Gone, paused);
        Assert.Contains("このリンクでの受付は現在停止しています", await _api.Http.GetStringAsync($"/a/{s.Token}"));
        var other = await _api.CreateCompanyAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/company/alumni-links/{s.LinkId}/resume", null, other.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync("/api/v1/public/alumni", new { token = "nosuchtoken0", name = "x", email })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync("/a/nosuchtoken0")).StatusCode);
    }

    [Fact]
    public async Task JoinPage_WorksWithoutScript_NothingIsPreTicked_AndAMistakeComesBackInTheReadersLanguage()
    {
        var s = await SetUpAsync();
        var page = await _api.Http.GetStringAsync($"/a/{s.Token}");
        Assert.Contains("株式会社アルムナイ のアルムナイ", page);
        Assert.Contains("チェックした項目だけが 株式会社アルムナイ に渡ります", page);
        Assert.DoesNotContain("checked", page);
        var english = await _api.Http.GetStringAsync($"/a/{s.Token}?lang=en");
        Assert.Contains("What 株式会社アルムナイ will see", english);

        var browser = Browser(app);
        var posted = await browser.PostAsync($"/a/{s.Token}", new FormUrlEncodedContent(
        [
            new("lang", "ja"), new("name", ""), new("email", "x@example.jp"), new("joinedYear", "二〇一八"), new("lastRole", "営業"),
            new("openTo", "rehire"), new("share", "lastRole"),
        ]));
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        var html = await posted.Content.ReadAsStringAsync();
        Assert.Contains("西暦4桁の数字で入力してください", html);
        Assert.Contains("value=\"営業\"", html); // what they typed stays
        Assert.Matches("value=\"rehire\" checked", html); // and what they ticked
        Assert.DoesNotContain("validation", html);

        var email = $"{ApiClient.Unique("page")}@example.jp";
        var sent = await browser.PostAsync($"/a/{s.Token}", new FormUrlEncodedContent(
            [new("lang", "en"), new("name", "Page Person"), new("email", email), new("openTo", "contract")]));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("Check your mail", await sent.Content.ReadAsStringAsync());
        Assert.Contains("Confirm joining", (await app.Mail.WaitForAsync(email)).Subject);
    }

    [Fact]
    public async Task CareerSupport_HandsTheProfileToTheChosenAgencyOnConfirmation_AsARegistrationWould_ButCountsNoReferral()
    {
        var (company, agency, _, relayToken) = await _api.CreateRelayAsync();
        var (_, link) = await _api.PostAsync("/api/v1/company/alumni-links", new { label = "退職者" }, company.Key);
        var token = link!["token"]!.GetValue<string>();
        var notice = await _api.NoticeVersionAsync(relayToken);
        var email = $"{ApiClient.Unique("support")}@example.jp";
        var confirm = await JoinAndConfirmAsync(token, email, "支援 次郎", ["career_support"], [],
            new { noticeVersion = notice, agencyIds = new[] { agency.Id } });
        var before = await AgencyEmailsAsync(agency.Key);
        Assert.DoesNotContain(email, before); // not before the address is confirmed

        Assert.Equal(HttpStatusCode.OK, (await _api.Http.PostAsync(confirm, null)).StatusCode);
        Assert.Contains(email, await AgencyEmailsAsync(agency.Key));
        var id = (await _api.GetAsync("/api/v1/agency/candidates?limit=100", agency.Key)).Body!["items"]!.AsArray()
            .Single(i => i!["email"]!.GetValue<string>() == email)!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync($"/api/v1/agency/candidates/{id}", agency.Key)).Status);
        Assert.True(await app.WithDbAsync(db => db.ProvisionRecords.AnyAsync(p => p.RecipientType == "agency" && p.RecipientId == agency.Id && p.CandidateId == id)));
        Assert.Equal(0, ApiClient.Int(await _api.SummaryAsync(company.Key), "qualifiedReferrals"));
        var member = Assert.Single(await MembersAsync(company.Key));
        Assert.Empty(member["shared"]!.AsArray()); // shared nothing: the company learns only that someone joined
        Assert.Null(member["fields"]!["name"]);
    }

    [Fact]
    public async Task WelcomeBackMail_GoesOnlyToMembersWhoAsked_WithOneClickUnsubscribe_AndAMemberBecomesAReferrer()
    {
        var s = await SetUpAsync();
        var jobId = await _api.CreateJobAsync(s.Company.Key);
        var wants = $"{ApiClient.Unique("wants")}@example.jp";
        var quiet = $"{ApiClient.Unique("quiet")}@example.jp";
        await _api.Http.PostAsync(await JoinAndConfirmAsync(s.Token, wants, "案内 希望", ["contract", "referral"], ["name", "openTo"]), null);
        await _api.Http.PostAsync(await JoinAndConfirmAsync(s.Token, quiet, "案内 不要", ["referral"], ["name", "openTo"]), null);

        var (console, _) = await SignInAsync(app, s.Admin);
        var page = await console.GetStringAsync("/console/alumni");
        Assert.Contains("会員 1 人にだけ送ります", page); // the reach, no names
        var empty = await console.PostAsync("/console/alumni/welcome-back", Form(page, ("note", "お元気ですか")));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("募集中の求人を1件以上選んでください", await empty.Content.ReadAsStringAsync());
        var sent = await console.PostAsync("/console/alumni/welcome-back", Form(page, ("jobIds", jobId), ("note", "お元気ですか")));
        Assert.Contains("おかえりメールを 1 人に送りました", await sent.Content.ReadAsStringAsync());
        var mail = await app.Mail.WaitForAsync(wants, m => m.Subject.Contains("おかえりなさい", StringComparison.Ordinal));
        Assert.Contains("法人営業", mail.Body);
        Assert.Contains("お元気ですか", mail.Body);
        Assert.Contains(s.Admin, mail.Body); // whom to write to
        var unsubscribe = MailBox.Header(mail, "List-Unsubscribe")!.Trim('<', '>');
        Assert.DoesNotContain(app.Mail.All(), m => m.To == quiet && m.Subject.Contains("おかえりなさい", StringComparison.Ordinal));

        // One click (RFC 8058) stops them; the next mail reaches no one.
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.PostAsync(new Uri(unsubscribe).PathAndQuery, null)).StatusCode);
        page = await console.GetStringAsync("/console/alumni");
        Assert.Contains("おかえりメールを 0 人に送りました", await (await console.PostAsync("/console/alumni/welcome-back", Form(page, ("jobIds", jobId)))).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync("/a/unsubscribe/forged.token")).StatusCode);

        // Making a member a referrer: one click; the person gets their links by mail; a referral through it counts for alumni.
        page = await console.GetStringAsync("/console/referrals");
        page = await (await console.PostAsync("/console/referrals/programmes", Form(page, ("name", "アルムナイ紹介"), ("recognition", "thanks")))).Content.ReadAsStringAsync();
        page = await console.GetStringAsync("/console/alumni");
        var memberId = Regex.Match(page, "data-member-id=\"([^\"]+)\"[^>]*>\\s*<h3[^>]*>案内 希望").Groups[1].Value;
        var programmeId = Regex.Match(page, $"id=\"programme-{memberId}\" name=\"programmeId\"><option value=\"([^\"]+)\"").Groups[1].Value;
        var made = await console.PostAsync($"/console/alumni/{memberId}/referrer", Form(page, ("programmeId", programmeId)));
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        Assert.Contains("案内 希望 を紹介者にしました", await made.Content.ReadAsStringAsync());
        var again = await console.PostAsync($"/console/alumni/{memberId}/referrer", Form(page, ("programmeId", programmeId)));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var referrerMail = await app.Mail.WaitForAsync(wants, m => m.Subject.Contains("紹介者になりました", StringComparison.Ordinal));
        var refPath = Regex.Match(referrerMail.Body, @"https?://[^/\s]+(/ref/[A-Za-z0-9_\-]+)\s").Groups[1].Value;
        var friend = $"{ApiClient.Unique("friend")}@example.jp";
        var applied = await _api.Http.PostAsync(refPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["jobId"] = jobId, ["name"] = "友人 三郎", ["email"] = friend, ["agree"] = "yes",
        }));
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var code = Regex.Match((await app.Mail.WaitForAsync(friend)).Body, @"(/ref/confirm/[A-Za-z0-9_\-]+)").Groups[1].Value;
        await _api.Http.PostAsync(code, null);
        Assert.Matches("data-field=\"alumniReferrals\"><span class=\"figure\">1<", await console.GetStringAsync("/console"));
        Assert.Contains("アルムナイ紹介", await console.GetStringAsync("/console/referrals"));
    }

    [Fact]
    public async Task Erasure_RemovesEveryMembership_AndLeavesNoByteOfThePerson_NotEvenTheReferrerNameTheCompanySaw()
    {
        var s = await SetUpAsync();
        var email = $"{ApiClient.Unique("erase-alum")}@example.jp";
        const string name = "消去 卒業生子";
        const string role = "経営企画マネージャー";
        await _api.Http.PostAsync(await JoinAndConfirmAsync(s.Token, email, name, ["referral"], ["name", "lastRole", "openTo"], lastRole: role), null);
        var (console, _) = await SignInAsync(app, s.Admin);
        var page = await console.GetStringAsync("/console/referrals");
        await console.PostAsync("/console/referrals/programmes", Form(page, ("name", "紹介"), ("recognition", "thanks")));
        page = await console.GetStringAsync("/console/alumni");
        var memberId = Regex.Match(page, "data-member-id=\"([^\"]+)\"").Groups[1].Value;
        var programmeId = Regex.Match(page, "name=\"programmeId\"><option value=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal(HttpStatusCode.Created, (await console.PostAsync($"/console/alumni/{memberId}/referrer", Form(page, ("programmeId", programmeId)))).StatusCode);
        Assert.Contains(name, await console.GetStringAsync("/console/referrals"));

        var me = await _api.MeTokenAsync(email);
        var candidateId = (await _api.PostAsync("/api/v1/public/me/export", new { token = me })).Body!["candidate"]!["id"]!.GetValue<string>();
        var wrappedKey = await app.WithDbAsync(db => db.CandidateKeys.Where(k => k.CandidateId == candidateId).Select(k => k.WrappedKey).FirstAsync());
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/erase", new { token = me })).Status);

        Assert.Empty(await MembersAsync(s.Company.Key));
        Assert.False(await app.WithDbAsync(db => db.AlumniMembers.AnyAsync(m => m.CandidateId == candidateId)));
        Assert.DoesNotContain(name, await console.GetStringAsync("/console/referrals"));
        var traces = new[] { Encoding.UTF8.GetBytes(email), Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(role), wrappedKey };
        foreach (var found in await EraseCandidateTests.StoredBytesContainingAsync(app, traces))
            Assert.Fail($"Found a trace of the erased alumnus in {found}.");
    }

    private async Task<List<string>> AgencyEmailsAsync(string agencyKey) =>
        [.. (await _api.GetAsync("/api/v1/agency/candidates?limit=100", agencyKey)).Body!["items"]!.AsArray().Select(i => i!["email"]!.GetValue<string>())];
}

public sealed class AlumniTestsOnSqlite(SqliteApp app) : AlumniTests(app), IClassFixture<SqliteApp>;
public sealed class AlumniTestsOnPostgres(PostgresApp app) : AlumniTests(app), IClassFixture<PostgresApp>;
