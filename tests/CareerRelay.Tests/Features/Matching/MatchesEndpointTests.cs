using Microsoft.Extensions.DependencyInjection;
using System.Net;

namespace CareerRelay.Tests.Features.Matching;

/// <summary>GET /api/v1/agency/jobs/{id}/matches: only this agency's consenting candidates, best first, with reasons; a bad limit is 400.</summary>
public abstract class MatchesEndpointTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task Matches_RankOnlyTheAgencysOwnConsentingCandidates_WithReasonsInTheRequestsLanguage()
    {
        var (company, a, _, token) = await _api.CreateRelayAsync();
        var b = await _api.CreateAgencyAsync();
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { a.Id, b.Id } }, company.Key);
        var jobId = await _api.CreateJobAsync(company.Key); // 法人営業 in Tokyo, skill 法人営業
        await _api.RegisterAndVerifyAsync(token, $"{ApiClient.Unique("m1")}@example.jp", a.Id); // skills 法人営業, Excel; Tokyo
        var (status, _) = await _api.PostAsync("/api/v1/public/registrations", new
        {
            token, name = "別 人", email = $"{ApiClient.Unique("m2")}@example.jp", prefecture = "47", desiredOccupation = "看護師", skills = new[] { "看護" },
            consent = new { noticeVersion = await _api.NoticeVersionAsync(token), agencyIds = new[] { a.Id } },
        });
        Assert.Equal(HttpStatusCode.Accepted, status);
        await _api.RegisterAndVerifyAsync(token, $"{ApiClient.Unique("m3")}@example.jp", b.Id); // agency B's, never A's

        var (ok, matches) = await _api.GetAsync($"/api/v1/agency/jobs/{jobId}/matches?limit=20&lang=en", a.Key);
        Assert.Equal(HttpStatusCode.OK, ok);
        var items = matches!["items"]!.AsArray();
        var aCandidates = (await _api.GetAsync("/api/v1/agency/candidates", a.Key)).Body!["items"]!.AsArray()
            .Select(i => i!["id"]!.GetValue<string>()).ToList();
        Assert.Single(aCandidates); // the unverified one is not A's yet
        Assert.All(items, m => Assert.Contains(m!["candidateId"]!.GetValue<string>(), aCandidates)); // A's consenting candidates only
        var first = items[0]!;
        Assert.Contains(first["reasons"]!.AsArray(), r => r!.GetValue<string>().StartsWith("Has every required skill", StringComparison.Ordinal));
        Assert.True(first["score"]!.GetValue<double>() > 50);

        var (_, ja) = await _api.GetAsync($"/api/v1/agency/jobs/{jobId}/matches", a.Key);
        Assert.Contains(ja!["items"]![0]!["reasons"]!.AsArray(), r => r!.GetValue<string>().Contains("必須スキル", StringComparison.Ordinal));

        foreach (var bad in new[] { "0", "101", "ten" })
        {
            var (badStatus, problem) = await _api.GetAsync($"/api/v1/agency/jobs/{jobId}/matches?limit={bad}", a.Key);
            Assert.Equal(HttpStatusCode.BadRequest, badStatus);
            Assert.Equal("invalid_limit", problem!["code"]!.GetValue<string>());
        }
        var other = await _api.CreateAgencyAsync(); // not a partner: the job is not theirs to see
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v1/agency/jobs/{jobId}/matches", other.Key)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync($"/api/v1/agency/jobs/{jobId}/matches", company.Key)).Status);
    }

    [Fact]
    public async Task MePage_RecommendsJobsOfTheirAgenciesPartners_WithReasons_AndNeverFromAnExcludedCompany()
    {
        var (referrer, agency, _, token) = await _api.CreateRelayAsync();
        var employer = await _api.CreateCompanyAsync(name: "株式会社いまの勤め先");
        var other = await _api.CreateCompanyAsync(name: "株式会社つぎの会社");
        foreach (var c in new[] { employer, other }) await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { agency.Id } }, c.Key);
        var current = await _api.CreateJobAsync(employer.Key);
        var next = await _api.CreateJobAsync(other.Key);
        var email = $"{ApiClient.Unique("rec")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        var me = await _api.MeTokenAsync(email);
        var browser = ConsoleSession.Browser(app);
        await browser.PostAsync($"/me/{me}", ConsoleSession.Form(await browser.GetStringAsync($"/me/{me}")));

        var page = await browser.GetStringAsync("/me");
        Assert.Contains($"data-job-id=\"{next}\"", page);
        Assert.Contains($"data-job-id=\"{current}\"", page);
        Assert.Contains("必須スキル", page); // with its reasons

        await browser.PostAsync("/me/profile", ConsoleSession.Form(page, ("name", "山田 太郎"), ("excludedCompanies", "いまの勤め先")));
        page = await browser.GetStringAsync("/me");
        Assert.Contains($"data-job-id=\"{next}\"", page);
        Assert.DoesNotContain($"data-job-id=\"{current}\"", page); // the person's employer never appears
        Assert.NotNull(referrer);
    }

    [Fact]
    public async Task Matches_FollowAProfileChange_AtOnce()
    {
        // The features are cached in memory between rankings; a change on /me must not leave a stale score.
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var jobId = await _api.CreateJobAsync(company.Key); // Tokyo
        var email = $"{ApiClient.Unique("move")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id); // lives in Tokyo
        double Score(System.Text.Json.Nodes.JsonNode? page) => page!["items"]![0]!["score"]!.GetValue<double>();
        var before = Score((await _api.GetAsync($"/api/v1/agency/jobs/{jobId}/matches", agency.Key)).Body);

        var me = await _api.MeTokenAsync(email);
        var browser = ConsoleSession.Browser(app);
        await browser.PostAsync($"/me/{me}", ConsoleSession.Form(await browser.GetStringAsync($"/me/{me}")));
        var page = await browser.GetStringAsync("/me");
        await browser.PostAsync("/me/profile", ConsoleSession.Form(page, ("name", "山田 太郎"), ("prefecture", "47"), ("skills", "法人営業、Excel"), ("desiredOccupation", "営業")));

        var after = Score((await _api.GetAsync($"/api/v1/agency/jobs/{jobId}/matches", agency.Key)).Body);
        Assert.Equal(before - CareerRelay.Web.Features.Matching.MatchScorer.LocationWeight, after); // moved to Okinawa: no location points
    }

    [Fact]
    public async Task Matches_CompareOccupationCodes_SameCodeInFull_SameMajorGroupForHalf()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        object Job(string code) => new
        {
            title = "ソリューション提案担当", description = "業務システムの提案", prefecture = "13", skills = new[] { "法人営業" },
            employmentType = "full_time", occupationCode = code,
        };
        var (badStatus, problem) = await _api.PostAsync("/api/v1/company/jobs", Job("B-48"), company.Key);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("validation_failed", problem!["code"]!.GetValue<string>());
        Assert.Contains("occupationCode", problem.ToJsonString());
        var (created, job) = await _api.PostAsync("/api/v1/company/jobs", Job("048"), company.Key); // 営業の職業
        Assert.Equal(HttpStatusCode.Created, created);
        var jobId = job!["id"]!.GetValue<string>();

        var email = $"{ApiClient.Unique("occ")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        var me = await _api.MeTokenAsync(email);
        var browser = ConsoleSession.Browser(app);
        await browser.PostAsync($"/me/{me}", ConsoleSession.Form(await browser.GetStringAsync($"/me/{me}")));
        async Task<HttpResponseMessage> SaveCodes(params string[] codes) => await browser.PostAsync("/me/profile", ConsoleSession.Form(await browser.GetStringAsync("/me"),
            [("name", "山田 太郎"), ("prefecture", "13"), ("skills", "法人営業"), .. codes.Select(c => ("desiredOccupationCodes", c))]));
        async Task<System.Text.Json.Nodes.JsonNode> First() => (await _api.GetAsync($"/api/v1/agency/jobs/{jobId}/matches?lang=en", agency.Key)).Body!["items"]![0]!;

        Assert.Equal(HttpStatusCode.Redirect, (await SaveCodes("048", "034")).StatusCode);
        var same = await First();
        Assert.Contains(same["reasons"]!.AsArray(), r => r!.GetValue<string>() == "Matches the desired occupation “Sales representatives”");

        Assert.Equal(HttpStatusCode.Redirect, (await SaveCodes("045")).StatusCode); // 販売員: same major group 07
        var field = await First();
        Assert.Contains(field["reasons"]!.AsArray(), r => r!.GetValue<string>() == "Same field as a desired occupation (Sales occupations)");
        Assert.Equal(same["score"]!.GetValue<double>() - CareerRelay.Web.Features.Matching.MatchScorer.OccupationWeight / 2, field["score"]!.GetValue<double>());

        var refused = await SaveCodes("999");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var export = System.Text.RegularExpressions.Regex.Replace(await browser.GetStringAsync("/me/export.json"), @"\s", "");
        Assert.Contains("\"desiredOccupationCodes\":[\"045\"]", export); // the refused change left the saved choice as it was
    }

    [Fact]
    public async Task AnotherNode_FillsItsIndexAtStart_AndFollowsChangesMadeElsewhere()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var jobId = await _api.CreateJobAsync(company.Key); // Tokyo
        var email = $"{ApiClient.Unique("node")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id); // Tokyo
        var candidateId = (await _api.GetAsync("/api/v1/agency/candidates", agency.Key)).Body!["items"]![0]!["id"]!.GetValue<string>();

        await using var second = app.WithWebHostBuilder(_ => { }); // a second node on the same database
        var index = second.Services.GetRequiredService<CareerRelay.Web.Features.Matching.MatchIndex>();
        await Poll.UntilAsync(() => Task.FromResult(index.Contains(candidateId)), "the second node's index was not filled at start");
        var secondApi = new ApiClient(second.CreateClient(), app);
        double Score(System.Text.Json.Nodes.JsonNode? page) => page!["items"]![0]!["score"]!.GetValue<double>();
        var before = Score((await secondApi.GetAsync($"/api/v1/agency/jobs/{jobId}/matches", agency.Key)).Body);

        // The person moves to Okinawa on the first node; the second follows candidates.updated_at on its own.
        var me = await _api.MeTokenAsync(email);
        var browser = ConsoleSession.Browser(app);
        await browser.PostAsync($"/me/{me}", ConsoleSession.Form(await browser.GetStringAsync($"/me/{me}")));
        await browser.PostAsync("/me/profile", ConsoleSession.Form(await browser.GetStringAsync("/me"), ("name", "山田 太郎"), ("prefecture", "47"), ("skills", "法人営業、Excel"), ("desiredOccupation", "営業")));
        double after = before;
        await Poll.UntilAsync(async () => (after = Score((await secondApi.GetAsync($"/api/v1/agency/jobs/{jobId}/matches", agency.Key)).Body)) != before,
            "the second node kept the old profile");
        Assert.Equal(before - CareerRelay.Web.Features.Matching.MatchScorer.LocationWeight, after);
    }

    [Fact]
    public async Task UnconfirmedSignUps_AreNotReadIntoANodesIndex_UntilTheyConfirmAndAreRanked()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var jobId = await _api.CreateJobAsync(company.Key);
        var pendingEmail = $"{ApiClient.Unique("pending")}@example.jp";
        var (status, body) = await _api.RegisterAsync(token, pendingEmail, agency.Id, await _api.NoticeVersionAsync(token));
        Assert.Equal(HttpStatusCode.Accepted, status);
        var registrationId = body!["registrationId"]!.GetValue<string>();
        var pending = await app.WithDbAsync(db => db.Registrations.Where(r => r.Id == registrationId).Select(r => r.CandidateId).SingleAsync());
        await _api.RegisterAndVerifyAsync(token, $"{ApiClient.Unique("confirmed")}@example.jp", agency.Id);
        var confirmed = (await _api.GetAsync("/api/v1/agency/candidates", agency.Key)).Body!["items"]![0]!["id"]!.GetValue<string>();

        // A node starting now reads the confirmed person ahead, not the one who has not confirmed their address.
        await using var second = app.WithWebHostBuilder(_ => { });
        var index = second.Services.GetRequiredService<CareerRelay.Web.Features.Matching.MatchIndex>();
        await Poll.UntilAsync(() => Task.FromResult(index.Contains(confirmed)), "the second node's index was not filled at start");
        Assert.False(index.Contains(pending));

        // Once confirmed, they are ranked on that node too (read on demand).
        var code = MailBox.VerificationCode(await app.Mail.WaitForAsync(CareerRelay.Web.Features.Registrations.PersonIdentity.NormaliseEmail(pendingEmail), 1));
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/verifications", new { code })).Status);
        var secondApi = new ApiClient(second.CreateClient(), app);
        var ranked = (await secondApi.GetAsync($"/api/v1/agency/jobs/{jobId}/matches", agency.Key)).Body!["items"]!.AsArray()
            .Select(m => m!["candidateId"]!.GetValue<string>()).ToList();
        Assert.Contains(pending, ranked);
        Assert.Contains(confirmed, ranked);
    }

    [Fact]
    public async Task CompanyRedemptionView_ShowsTheAcceptingAgencysCandidatesAnonymised()
    {
        var hr = $"{ApiClient.Unique("hr")}@slot-co.example.jp";
        var (company, agency, _, token) = await _api.CreateRelayAsync(contactEmail: hr);
        var emails = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            var email = $"{ApiClient.Unique($"anon{i}")}@example.jp";
            await _api.RegisterAndVerifyAsync(token, email, agency.Id, name: $"匿名 希望{i}");
            return email;
        }));
        var jobId = await _api.CreateJobAsync(company.Key);
        var redemptionId = (await _api.PostAsync("/api/v1/company/redemptions", new { jobId }, company.Key)).Body!["id"]!.GetValue<string>();
        var (browser, _) = await ConsoleSession.SignInAsync(app, hr);
        Assert.Contains("まだどの人材紹介会社も", await browser.GetStringAsync($"/console/redemptions/{redemptionId}"));

        await _api.PostAsync($"/api/v1/agency/redemptions/{redemptionId}/accept", null, agency.Key);
        var page = await browser.GetStringAsync($"/console/redemptions/{redemptionId}");
        Assert.Contains("候補者 1", page);
        Assert.Contains("必須スキル", page);
        Assert.DoesNotContain("匿名 希望", page); // no names
        Assert.All(emails, e => Assert.DoesNotContain(e, page)); // no contacts
        var other = await _api.CreateRelayAsync(contactEmail: $"{ApiClient.Unique("hr")}@other-co.example.jp");
        var (otherBrowser, _) = await ConsoleSession.SignInAsync(app, await app.WithDbAsync(db => db.Companies.Where(c => c.Id == other.Company.Id).Select(c => c.ContactEmail).FirstAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await otherBrowser.GetAsync($"/console/redemptions/{redemptionId}")).StatusCode);
    }
}

public sealed class MatchesEndpointTestsOnSqlite(SqliteApp app) : MatchesEndpointTests(app), IClassFixture<SqliteApp>;
public sealed class MatchesEndpointTestsOnPostgres(PostgresApp app) : MatchesEndpointTests(app), IClassFixture<PostgresApp>;
