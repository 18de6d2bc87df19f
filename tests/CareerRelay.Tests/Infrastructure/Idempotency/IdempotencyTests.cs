using System.Net;

namespace CareerRelay.Tests.Infrastructure.Idempotency;

/// <summary>Idempotency-Key on POST: a retry replays the first answer; another body with the same key is refused.</summary>
public abstract class IdempotencyTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> PostWithKeyAsync(string path, object body, string? apiKey, string idempotencyKey) =>
        _api.SendAsync(HttpMethod.Post, path, body, apiKey, new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey });

    [Fact]
    public async Task Registration_RetriedWithTheSameKeyAndBody_ReplaysTheFirstAnswerAndWritesOnce()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var body = new
        {
            token, name = "再送 花子", email = $"{ApiClient.Unique("retry")}@example.jp",
            consent = new { noticeVersion = 1, agencyIds = new[] { agency.Id } },
        };
        var key = Guid.NewGuid().ToString();
        var first = await PostWithKeyAsync("/api/v1/public/registrations", body, null, key);
        var retry = await PostWithKeyAsync("/api/v1/public/registrations", body, null, key);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(HttpStatusCode.Accepted, retry.Status);
        Assert.Equal(first.Body!["registrationId"]!.GetValue<string>(), retry.Body!["registrationId"]!.GetValue<string>());
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(company.Key), "registrations"));
    }

    [Fact]
    public async Task SameKey_WithAnotherBody_Answers422IdempotencyKeyReused()
    {
        var (company, _, _, _) = await _api.CreateRelayAsync();
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await PostWithKeyAsync("/api/v1/company/links", new { label = "A" }, company.Key, key)).Status);
        var (status, problem) = await PostWithKeyAsync("/api/v1/company/links", new { label = "B" }, company.Key, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("idempotency_key_reused", problem!["code"]!.GetValue<string>());
        var (_, links) = await _api.GetAsync("/api/v1/company/links", company.Key);
        var labels = links!["items"]!.AsArray().Select(l => l!["label"]!.GetValue<string>()).ToList();
        Assert.Contains("A", labels);
        Assert.DoesNotContain("B", labels);
    }

    [Fact]
    public async Task ConcurrentRetries_OfOneRedemption_SpendOneSlotAtMost()
    {
        var (company, _, _, _) = await _api.CreateRelayAsync();
        var jobId = await _api.CreateJobAsync(company.Key);
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            PostWithKeyAsync("/api/v1/company/redemptions", new { jobId }, company.Key, key)));
        // No slots: every answer is the first one (409 insufficient_slots) replayed, or "in progress"; none is a 5xx.
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Conflict, a.Status));
        Assert.Contains(answers, a => a.Body!["code"]!.GetValue<string>() == "insufficient_slots");
    }
}

public abstract class IdempotencyRetentionTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> PostWithKeyAsync(string path, object body, string? apiKey, string idempotencyKey) =>
        _api.SendAsync(HttpMethod.Post, path, body, apiKey, new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey });

    [Fact]
    public async Task ConcurrentRetries_OfACreate_MakeOneLink_AndEveryAnswerIsThatLinkOrInProgress()
    {
        var company = await _api.CreateCompanyAsync();
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => PostWithKeyAsync("/api/v1/company/links", new { label = "同時" }, company.Key, key)));

        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var ids = answers.Where(a => a.Status == HttpStatusCode.Created).Select(a => a.Body!["id"]!.GetValue<string>()).Distinct().ToList();
        Assert.Single(ids);
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.Conflict), a => Assert.Equal("idempotency_key_in_progress", a.Body!["code"]!.GetValue<string>()));
        var (_, links) = await _api.GetAsync("/api/v1/company/links", company.Key);
        Assert.Single(links!["items"]!.AsArray());
        // Once the first finished, a retry replays it.
        var late = await PostWithKeyAsync("/api/v1/company/links", new { label = "同時" }, company.Key, key);
        Assert.Equal(ids[0], late.Body!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AKey_IsHonouredFor24Hours_ThenFree_AndSweptAfterTwoDays()
    {
        var company = await _api.CreateCompanyAsync();
        var key = Guid.NewGuid().ToString();
        var (_, first) = await PostWithKeyAsync("/api/v1/company/links", new { label = "A" }, company.Key, key);

        app.Clock.Advance(TimeSpan.FromHours(23));
        var (_, replay) = await PostWithKeyAsync("/api/v1/company/links", new { label = "A" }, company.Key, key);
        Assert.Equal(first!["id"]!.GetValue<string>(), replay!["id"]!.GetValue<string>());

        app.Clock.Advance(TimeSpan.FromHours(2));
        var (status, fresh) = await PostWithKeyAsync("/api/v1/company/links", new { label = "B" }, company.Key, key);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.NotEqual(first["id"]!.GetValue<string>(), fresh!["id"]!.GetValue<string>());

        app.Clock.Advance(TimeSpan.FromHours(49));
        Assert.True(await app.Service<CareerRelay.Web.Infrastructure.Idempotency.IdempotencySweeper>().RunOnceAsync(CancellationToken.None) >= 1);
        Assert.False(await app.WithDbAsync(db => db.IdempotencyRecords.AnyAsync(r => r.Key == key)));
    }
}

public sealed class IdempotencyRetentionTestsOnSqlite(SqliteApp app) : IdempotencyRetentionTests(app), IClassFixture<SqliteApp>;
public sealed class IdempotencyRetentionTestsOnPostgres(PostgresApp app) : IdempotencyRetentionTests(app), IClassFixture<PostgresApp>;

public sealed class IdempotencyTestsOnSqlite(SqliteApp app) : IdempotencyTests(app), IClassFixture<SqliteApp>;
public sealed class IdempotencyTestsOnPostgres(PostgresApp app) : IdempotencyTests(app), IClassFixture<PostgresApp>;
