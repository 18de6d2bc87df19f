using System.Net;
using System.Text;

namespace CareerRelay.Tests.Features.Operator;

/// <summary>Keys, roles and tenants; lists; and bad input that must never become a 5xx or a half-written row.</summary>
public abstract class AccessAndInputTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Theory]
    [InlineData("GET", "/api/v1/company/summary")]
    [InlineData("GET", "/api/v1/agency/candidates")]
    [InlineData("GET", "/api/v1/admin/holds")]
    [InlineData("POST", "/api/v1/admin/companies")]
    public async Task Routes_WithoutOrWithAnUnknownKey_Answer401Unauthorized(string method, string path)
    {
        foreach (var key in new string?[] { null, "cr_co_not-a-real-key", "bad key with spaces" })
        {
            var (status, body) = await _api.SendAsync(new HttpMethod(method), path, method == "POST" ? new { } : null, key);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("unauthorized", body!["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Keys_OfTheWrongRole_Answer403Forbidden()
    {
        var (company, agency, _, _) = await _api.CreateRelayAsync();
        var cases = new (string Method, string Path, string Key)[]
        {
            ("GET", "/api/v1/company/summary", agency.Key),
            ("GET", "/api/v1/agency/candidates", company.Key),
            ("POST", "/api/v1/admin/companies", company.Key),
            ("GET", "/api/v1/admin/ledger/verify", agency.Key),
            ("GET", "/api/v1/company/ledger", CareerRelayApp.OperatorKey),
        };
        foreach (var (method, path, key) in cases)
        {
            var (status, body) = await _api.SendAsync(new HttpMethod(method), path, method == "POST" ? new { } : null, key);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("forbidden", body!["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task AnotherTenantsIds_Answer404AndChangeNothing()
    {
        var mine = await _api.CreateRelayAsync();
        var theirs = await _api.CreateRelayAsync();
        var (_, job) = await _api.PostAsync("/api/v1/company/jobs", new
        {
            title = "事務", description = "一般事務", prefecture = "27", skills = Array.Empty<string>(), employmentType = "part_time",
        }, theirs.Company.Key);
        var cases = new (string Method, string Path, object? Body)[]
        {
            ("POST", $"/api/v1/company/links/{theirs.LinkId}/pause", null),
            ("POST", $"/api/v1/company/links/{theirs.LinkId}/resume", null),
            ("GET", $"/api/v1/company/links/{theirs.LinkId}/email-template", null),
            ("POST", "/api/v1/company/invitations", new { linkId = theirs.LinkId, count = 1 }),
            ("POST", "/api/v1/company/redemptions", new { jobId = job!["id"]!.GetValue<string>() }),
            ("POST", $"/api/v1/company/jobs/{job["id"]}/close", null),
            ("POST", "/api/v1/company/redemptions/0199aaaaaaaa7000800000000000000a/cancel", null),
        };
        foreach (var (method, path, body) in cases)
        {
            var (status, problem) = await _api.SendAsync(new HttpMethod(method), path, body ?? new { }, mine.Company.Key);
            Assert.True(status == HttpStatusCode.NotFound, $"{method} {path} answered {status}");
            Assert.Equal("not_found", problem!["code"]!.GetValue<string>());
        }
        var (_, links) = await _api.GetAsync("/api/v1/company/links", theirs.Company.Key);
        Assert.False(links!["items"]![0]!["paused"]!.GetValue<bool>());
        var (_, myLinks) = await _api.GetAsync("/api/v1/company/links", mine.Company.Key);
        Assert.DoesNotContain(theirs.LinkId, myLinks!.ToJsonString());
    }

    [Fact]
    public async Task OperatorBootstrapKey_CreatesTenantsWhoseKeysWork()
    {
        var company = await _api.CreateCompanyAsync();
        Assert.StartsWith("cr_co_", company.Key);
        var (status, summary) = await _api.GetAsync("/api/v1/company/summary", company.Key);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(10, summary!["referralsPerSlot"]!.GetValue<int>());
        // Stored hashed: the plain key appears nowhere in the database.
        var stored = await app.WithDbAsync(db => db.ApiKeys.Select(k => k.KeyHash).ToListAsync());
        Assert.DoesNotContain(company.Key, stored);
    }

    [Fact]
    public async Task Agency_MissingADisclosure_IsRefusedWithTheFieldNamed()
    {
        var (status, body) = await _api.PostAsync("/api/v1/admin/agencies", new
        {
            name = "開示不足エージェント", licenseNumber = "13-ユ-1", contactEmail = "a@b.example", occupations = new[] { "営業" },
            fees = "無料", complaintContact = "", privacyPolicyUrl = "not a url",
        }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = body!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("complaintContact"));
        Assert.True(errors.ContainsKey("privacyPolicyUrl"));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"token\": 12, \"name\": [1,2]}")]
    [InlineData("{\"token\":\"x\",\"skills\":\"not-an-array\"}")]
    [InlineData("{\"token\":\"x\",\"consent\":{\"noticeVersion\":\"one\"}}")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"token\":\"' OR 1=1 --\",\"name\":\"<script>alert(1)</script>\",\"email\":\"a@b.jp\"}")]
    public async Task PublicRegistration_MalformedOrHostileBody_Answers4xxProblem(string raw)
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Post, "/api/v1/public/registrations", raw);
        Assert.InRange((int)status, 400, 499);
        Assert.NotNull(body!["code"]);
    }

    [Fact]
    public async Task PublicRegistration_NonUtf8OrHugeBody_Answers4xxAndWritesNothing()
    {
        var before = await app.WithDbAsync(db => db.Registrations.CountAsync());
        using var bytes = new ByteArrayContent([0x7B, 0x22, 0x6E, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D]);
        bytes.Headers.ContentType = new("application/json");
        var nonUtf8 = await _api.Http.PostAsync("/api/v1/public/registrations", bytes);
        Assert.Equal(HttpStatusCode.BadRequest, nonUtf8.StatusCode);

        var huge = "{\"token\":\"x\",\"name\":\"" + new string('あ', 600_000) + "\"}";
        var big = await _api.Http.PostAsync("/api/v1/public/registrations", new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.InRange((int)big.StatusCode, 400, 499);

        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var (longName, problem) = await _api.RegisterAsync(token, "long@example.jp", agency.Id, name: new string('名', 5000));
        Assert.Equal(HttpStatusCode.BadRequest, longName);
        Assert.Equal("validation_failed", problem!["code"]!.GetValue<string>());
        Assert.Equal(before, await app.WithDbAsync(db => db.Registrations.CountAsync()));
    }

    [Fact]
    public async Task Lists_WithABadLimitOrCursor_Answer400_AndPagesJoinUp()
    {
        var (company, _, _, _) = await _api.CreateRelayAsync();
        foreach (var q in new[] { "limit=0", "limit=101", "limit=abc" })
        {
            var (status, body) = await _api.GetAsync($"/api/v1/company/links?{q}", company.Key);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("invalid_limit", body!["code"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync("/api/v1/company/links?cursor=garbage", company.Key)).Status);

        for (var i = 0; i < 4; i++) await _api.PostAsync("/api/v1/company/links", new { label = $"link {i}" }, company.Key);
        var (_, first) = await _api.GetAsync("/api/v1/company/links?limit=3", company.Key);
        Assert.Equal(3, first!["items"]!.AsArray().Count);
        var cursor = first["nextCursor"]!.GetValue<string>();
        var (_, second) = await _api.GetAsync($"/api/v1/company/links?limit=3&cursor={cursor}", company.Key);
        Assert.Equal(2, second!["items"]!.AsArray().Count);
        Assert.Null(second["nextCursor"]);
    }

    [Fact]
    public async Task Jobs_InvalidFields_AreNamed_AndValidOnesRoundTrip()
    {
        var (company, _, _, _) = await _api.CreateRelayAsync();
        var (bad, problem) = await _api.PostAsync("/api/v1/company/jobs", new
        {
            title = "", description = "x", prefecture = "48", skills = new[] { "C#" }, employmentType = "gig", salaryMin = 9, salaryMax = 1,
        }, company.Key);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.All(new[] { "title", "prefecture", "employmentType", "salaryMax" }, f => Assert.True(problem!["errors"]!.AsObject().ContainsKey(f), f));

        var (created, job) = await _api.PostAsync("/api/v1/company/jobs", new
        {
            title = "バックエンドエンジニア", description = "C# / PostgreSQL", prefecture = "13", skills = new[] { "C#", "PostgreSQL" },
            employmentType = "full_time", occupationCode = "10", salaryMin = 5_000_000, salaryMax = 8_000_000,
        }, company.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("open", job!["status"]!.GetValue<string>());
        var (_, list) = await _api.GetAsync("/api/v1/company/jobs", company.Key);
        Assert.Equal(8_000_000, Assert.Single(list!["items"]!.AsArray())!["salaryMax"]!.GetValue<int>());
    }

    [Fact]
    public async Task UnknownApiRoute_AndWrongMethod_AnswerProblems()
    {
        var (missing, body) = await _api.GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("not_found", body!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_LiveAndReady_Answer200()
    {
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync("/healthz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Notice_NewVersion_IsWhatLinksOfferAndOldConsentsAreRefused()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var old = await _api.NoticeVersionAsync(token);
        var (status, body) = await _api.PutAsync("/api/v1/admin/notice", new { textJa = $"第{old + 1}版の通知", textEn = "A new notice" }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.Created, status);
        var version = body!["version"]!.GetValue<int>();
        Assert.Equal(old + 1, version);
        Assert.Equal(version, await _api.NoticeVersionAsync(token));
        var (refused, problem) = await _api.RegisterAsync(token, $"{ApiClient.Unique("n")}@example.jp", agency.Id, noticeVersion: old);
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("consent_required", problem!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, (await _api.RegisterAsync(token, $"{ApiClient.Unique("n")}@example.jp", agency.Id, noticeVersion: version)).Status);
    }

    [Fact]
    public async Task PartnerAgencies_NoneChosen_OffersEveryActiveAgencyButNeverAnExpiredOne()
    {
        var company = await _api.CreateCompanyAsync();
        var expired = await _api.CreateAgencyAsync(licenseExpiresOn: "2020-01-01");
        var active = await _api.CreateAgencyAsync();
        var (_, link) = await _api.PostAsync("/api/v1/company/links", new { label = "all" }, company.Key);
        var (_, info) = await _api.GetAsync($"/api/v1/public/links/{link!["token"]}");
        var ids = info!["agencies"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(active.Id, ids);
        Assert.DoesNotContain(expired.Id, ids);

        var (put, partners) = await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { "unknown-agency" } }, company.Key);
        Assert.Equal(HttpStatusCode.BadRequest, put);
        Assert.Equal("validation_failed", partners!["code"]!.GetValue<string>());
    }
}

public sealed class AccessAndInputTestsOnSqlite(SqliteApp app) : AccessAndInputTests(app), IClassFixture<SqliteApp>;
public sealed class AccessAndInputTestsOnPostgres(PostgresApp app) : AccessAndInputTests(app), IClassFixture<PostgresApp>;
