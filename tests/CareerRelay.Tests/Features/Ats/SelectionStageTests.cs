using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Ats;

/// <summary>
/// How far an application got (選考ステップ): through the API, Greenhouse and the CSV import; the rejection mail's tone follows it;
/// the person sees it on /me and alone decides whether agencies (and matching) may.
/// </summary>
public abstract class SelectionStageTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private static object Rejection(string eventId, string applicationId, string? email, string? stage) => new
    {
        eventId, type = "rejected", applicationId, jobTitle = "経理", occurredAt = "2026-11-20T06:00:00Z", lang = "ja",
        candidate = email is null ? null : new { name = "佐藤 花子", email }, stage,
    };

    private Task<string?> StageOfAsync(string companyId, string applicationId) =>
        app.WithDbAsync(db => db.Invitations.Where(i => i.CompanyId == companyId && i.ExternalRef == applicationId).Select(i => i.Stage).SingleAsync());

    [Fact]
    public async Task ApiEvents_TakeAStageFromTheList_RefuseAnythingElse_AndTheFinalRoundGetsTheWarmTone_UnlessTurnedOff()
    {
        var company = await _api.CreateCompanyAsync();
        var (bad, problem) = await _api.PostAsync("/api/v1/company/ats/events", Rejection("s-0", "app-s0", null, "面接でイマイチ"), company.Key);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.NotNull(problem!["errors"]!["stage"]);
        Assert.Equal(0, await app.WithDbAsync(db => db.Invitations.CountAsync(i => i.CompanyId == company.Id)));

        var finalist = $"{ApiClient.Unique("final")}@example.jp";
        var early = $"{ApiClient.Unique("early")}@example.jp";
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync("/api/v1/company/ats/events", Rejection("s-1", "app-s1", finalist, "final_interview"), company.Key)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync("/api/v1/company/ats/events", Rejection("s-2", "app-s2", early, "document"), company.Key)).Status);
        Assert.Equal("final_interview", await StageOfAsync(company.Id, "app-s1"));
        Assert.Equal("document", await StageOfAsync(company.Id, "app-s2"));
        Assert.Equal("選考結果と、これからのご支援について", (await app.Mail.WaitForAsync(finalist)).Subject); // warm
        Assert.Equal("選考結果のご連絡", (await app.Mail.WaitForAsync(early)).Subject); // the company's own (standard) tone

        var (_, settings) = await _api.PutAsync("/api/v1/company/ats/settings", new { tone = "standard", toneFollowsStage = false }, company.Key);
        Assert.False(settings!["toneFollowsStage"]!.GetValue<bool>());
        var another = $"{ApiClient.Unique("final2")}@example.jp";
        await _api.PostAsync("/api/v1/company/ats/events", Rejection("s-3", "app-s3", another, "offer_declined"), company.Key);
        Assert.Equal("選考結果のご連絡", (await app.Mail.WaitForAsync(another)).Subject);
    }

    [Fact]
    public async Task Greenhouse_ReadsTheStageByItsName_AndAnUnknownNameIsLeftOut_NotTheRejection()
    {
        var company = await _api.CreateCompanyAsync();
        var (_, connection) = await _api.PostAsync("/api/v1/company/ats/connections", new { system = "greenhouse" }, company.Key);
        var path = new Uri(connection!["url"]!.GetValue<string>()).AbsolutePath;
        var secret = connection["secret"]!.GetValue<string>();
        foreach (var (id, stageName, expected) in new[] { (810001, "Final Interview", "final_interview"), (810002, "二次面接", "second_interview"), (810003, "Culture fit", null) })
        {
            var reject = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Features", "Ats", "Fixtures", "greenhouse-reject-candidate.json")))!;
            reject["payload"]!["application"]!["id"] = id;
            reject["payload"]!["application"]!["current_stage"]!["name"] = stageName;
            var body = reject.ToJsonString();
            var signature = "sha256 " + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
            var (status, answer) = await _api.SendAsync(HttpMethod.Post, path, body, null,
                new Dictionary<string, string> { ["Signature"] = signature, ["Greenhouse-Event-ID"] = $"gh-stage-{id}" });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.NotNull(answer!["invitationUrl"]?.GetValue<string>());
            Assert.Equal(expected, await StageOfAsync(company.Id, id.ToString()));
        }
    }

    [Fact]
    public async Task CsvImport_ReadsTheStageColumn_InJapaneseOrEnglish_AndRefusesARowWithAnyOtherWord()
    {
        var company = await _api.CreateCompanyAsync();
        var csv = "応募ID,氏名,メールアドレス,選考結果,選考ステップ\r\n" +
                  $"c-1,山田 太郎,{ApiClient.Unique("c1")}@example.jp,不合格,最終面接\r\n" +
                  $"c-2,鈴木 次郎,{ApiClient.Unique("c2")}@example.jp,不合格,Second Interview\r\n" +
                  $"c-3,高橋 三郎,{ApiClient.Unique("c3")}@example.jp,不合格,カジュアル面談\r\n" +
                  $"c-4,田中 四郎,{ApiClient.Unique("c4")}@example.jp,不合格,\r\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/company/ats/imports")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", company.Key);
        using var response = await _api.Http.SendAsync(request);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, result["invitations"]!.GetValue<int>());
        Assert.Equal(1, result["errors"]!.GetValue<int>());
        var refused = Assert.Single(result["items"]!.AsArray(), i => i!["status"]!.GetValue<string>() == "error");
        Assert.Equal("c-3", refused!["applicationId"]!.GetValue<string>());
        Assert.Contains(refused["messages"]!.AsArray(), m => m!.GetValue<string>().Contains("カジュアル面談", StringComparison.Ordinal));
        Assert.Equal("final_interview", await StageOfAsync(company.Id, "c-1"));
        Assert.Equal("second_interview", await StageOfAsync(company.Id, "c-2"));
        Assert.Null(await StageOfAsync(company.Id, "c-4"));
    }

    [Fact]
    public async Task ThePerson_SeesTheStageOnTheirPage_AndOnlyWhenTheyShareIt_DoAgenciesAndMatchingUseIt()
    {
        var (company, agency, _, _) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("staged")}@example.jp";
        var (_, answer) = await _api.PostAsync("/api/v1/company/ats/events", Rejection("p-1", "app-p1", null, "final_interview"), company.Key);
        var invitation = new Uri(answer!["invitationUrl"]!.GetValue<string>()).AbsolutePath.Split('/')[^1];
        await _api.RegisterAndVerifyAsync(invitation, email, agency.Id, name: "最終 五郎");
        var candidateId = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>();

        // Not shared yet: the agency sees nothing of it, and matching gives it no weight.
        Assert.Null((await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", agency.Key)).Body!["profile"]!["sharedStage"]?.GetValue<string>());
        var jobId = await _api.CreateJobAsync(company.Key);
        async Task<bool> MatchSaysFinalAsync() =>
            (await _api.GetAsync($"/api/v1/agency/jobs/{jobId}/matches?limit=100", agency.Key)).Body!["items"]!.AsArray()
                .Any(m => m!["candidateId"]!.GetValue<string>() == candidateId && m["reasons"]!.AsArray().Any(r => r!.GetValue<string>() == "最終面接まで進んだ経験"));
        Assert.False(await MatchSaysFinalAsync());

        // On /me the person sees how far they got, and chooses to share it.
        var browser = await CandidateAsync(app, _api, email);
        var page = await browser.GetStringAsync("/me");
        Assert.Contains("最終面接まで", page);
        var saved = await browser.PostAsync("/me/profile", Form(page, ("name", "最終 五郎"), ("shareStage", "on")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("final_interview", (await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", agency.Key)).Body!["profile"]!["sharedStage"]!.GetValue<string>());
        Assert.True(await MatchSaysFinalAsync());

        // And takes it back: gone from the agency's view and from matching.
        page = await browser.GetStringAsync("/me");
        await browser.PostAsync("/me/profile", Form(page, ("name", "最終 五郎")));
        Assert.Null((await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", agency.Key)).Body!["profile"]!["sharedStage"]?.GetValue<string>());
        Assert.False(await MatchSaysFinalAsync());
    }
}

public sealed class SelectionStageTestsOnSqlite(SqliteApp app) : SelectionStageTests(app), IClassFixture<SqliteApp>;
public sealed class SelectionStageTestsOnPostgres(PostgresApp app) : SelectionStageTests(app), IClassFixture<PostgresApp>;
