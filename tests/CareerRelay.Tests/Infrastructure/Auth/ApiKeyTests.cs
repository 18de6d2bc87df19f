using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;

namespace CareerRelay.Tests.Infrastructure.Auth;

/// <summary>API keys: read-only and read-write scopes, a visible prefix, last use, rotation with a grace period, revocation.</summary>
public abstract class ApiKeyTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task AReadOnlyKey_Reads_ButEveryWriteAnswers403()
    {
        var company = await _api.CreateCompanyAsync();
        var (created, key) = await _api.PostAsync("/api/v1/company/keys", new { name = "BI dashboard", scope = "read" }, company.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        var readKey = key!["apiKey"]!.GetValue<string>();
        Assert.StartsWith(key["prefix"]!.GetValue<string>(), readKey);
        Assert.Equal("read", key["scope"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/company/summary", readKey)).Status);
        var (forbidden, problem) = await _api.PostAsync("/api/v1/company/links", new { label = "x" }, readKey);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal("forbidden", problem!["code"]!.GetValue<string>());
        Assert.Contains("read-only", problem["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = Array.Empty<string>() }, readKey)).Status);
        Assert.Empty((await _api.GetAsync("/api/v1/company/links", company.Key)).Body!["items"]!.AsArray());

        var (_, list) = await _api.GetAsync("/api/v1/company/keys", company.Key);
        var listed = list!["items"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "BI dashboard")!;
        Assert.NotNull(listed["lastUsedAt"]?.GetValue<DateTime>());
        Assert.Null(listed["apiKey"]);
        Assert.DoesNotContain(readKey, list.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync("/api/v1/company/keys", new { name = "x", scope = "admin" }, company.Key)).Status);
    }

    [Fact]
    public async Task ARequestWithoutAKey_NeverRunsTheKeyHandler_AndOneWithAKeyIsAuthenticated()
    {
        // Pages, /healthz and the public API carry no key: building the handler for them was most of what our middleware
        // cost every request (issue 23). ASP.NET Core adds authentication in front of everything unless told it is there.
        const string handler = "CareerRelay.Web.Infrastructure.Auth.ApiKeyAuthenticationHandler:";
        var company = await _api.CreateCompanyAsync();
        await using var node = app.WithWebHostBuilder(b => b.UseSetting("Logging:LogLevel:CareerRelay.Web.Infrastructure.Auth", "Debug"));
        var client = node.CreateClient();
        app.Logs.Clear();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        Assert.DoesNotContain(app.Logs, line => line.StartsWith(handler, StringComparison.Ordinal));

        using var keyed = new HttpRequestMessage(HttpMethod.Get, "/api/v1/company/summary");
        keyed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", company.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(keyed)).StatusCode);
        Assert.Contains(app.Logs, line => line.StartsWith(handler, StringComparison.Ordinal) && line.Contains("successfully authenticated", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/company/summary")).StatusCode);
    }

    [Fact]
    public async Task Rotation_IssuesASuccessor_AndTheOldKeyWorksUntilTheGracePeriodEnds()
    {
        var company = await _api.CreateCompanyAsync();
        var (_, original) = await _api.PostAsync("/api/v1/company/keys", new { name = "ATS" }, company.Key);
        var oldKey = original!["apiKey"]!.GetValue<string>();
        var (rotated, successor) = await _api.PostAsync($"/api/v1/company/keys/{original["id"]!.GetValue<string>()}/rotate", new { graceHours = 2 }, company.Key);
        Assert.Equal(HttpStatusCode.Created, rotated);
        var newKey = successor!["apiKey"]!.GetValue<string>();
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal("ATS", successor["name"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/company/summary", oldKey)).Status);
        app.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/v1/company/summary", oldKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/company/summary", newKey)).Status);

        // Rotating the retired key again is refused; revoking the successor stops it at once.
        Assert.Equal(HttpStatusCode.Conflict, (await _api.PostAsync($"/api/v1/company/keys/{original["id"]!.GetValue<string>()}/rotate", null, company.Key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/v1/company/keys/{successor["id"]!.GetValue<string>()}/revoke", null, company.Key)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/v1/company/summary", newKey)).Status);
    }

    [Fact]
    public async Task AnotherTenantsKey_CannotBeRotatedOrRevoked()
    {
        var company = await _api.CreateCompanyAsync();
        var other = await _api.CreateCompanyAsync();
        var (_, key) = await _api.PostAsync("/api/v1/company/keys", new { name = "mine" }, company.Key);
        var id = key!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/company/keys/{id}/rotate", null, other.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync($"/api/v1/company/keys/{id}/revoke", null, other.Key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/company/summary", key["apiKey"]!.GetValue<string>())).Status);
    }
}

public sealed class ApiKeyTestsOnSqlite(SqliteApp app) : ApiKeyTests(app), IClassFixture<SqliteApp>;
public sealed class ApiKeyTestsOnPostgres(PostgresApp app) : ApiKeyTests(app), IClassFixture<PostgresApp>;
