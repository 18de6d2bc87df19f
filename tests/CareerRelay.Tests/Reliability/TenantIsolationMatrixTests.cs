using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CareerRelay.Tests.Reliability;

/// <summary>
/// R4 (SPEC §8): every API route with an id, read from the routing table, called with the ids of another tenant's real
/// resources by every other caller — the other company, the other agency, the wrong role, no key. Never a 2xx, never a
/// 5xx, and the answer never carries the owner's data.
/// </summary>
public abstract partial class TenantIsolationMatrixTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task EveryRouteWithAnId_ForAnotherTenantsResource_AnswersNotFoundOrForbidden_NeverData()
    {
        // Tenant A: a company with its agency, one of each resource.
        var (a, agencyA, linkId, token) = await _api.CreateRelayAsync();
        var jobId = await _api.CreateJobAsync(a.Key);
        await _api.QualifyAsync(token, agencyA.Id, 10);
        var registrationId = (await _api.QualifyAsync(token, agencyA.Id, 1))[0];
        var redemptionId = (await _api.PostAsync("/api/v1/company/redemptions", new { jobId }, a.Key)).Body!["id"]!.GetValue<string>();
        var keyId = (await _api.PostAsync("/api/v1/company/keys", new { name = "A の連携" }, a.Key)).Body!["id"]!.GetValue<string>();
        var connectionId = (await _api.PostAsync("/api/v1/company/ats/connections", new { system = "greenhouse" }, a.Key)).Body!["id"]!.GetValue<string>();
        var consortiumId = (await _api.PostAsync("/api/v1/company/consortia", new { name = "A の連合" }, a.Key)).Body!["id"]!.GetValue<string>();
        var candidateId = (await _api.GetAsync("/api/v1/agency/candidates", agencyA.Key)).Body!["items"]![0]!["id"]!.GetValue<string>();
        // A training provider A with a course and a person's request about it (Features/Education).
        var providerA = await PartnerAsync("training_provider");
        var courseId = (await _api.PostAsync("/api/v1/provider/courses", new { title = "A の講座", description = "x", skills = new[] { "Python" }, hours = 10, priceYen = 0, mode = "online" }, providerA.Key))
            .Body!["id"]!.GetValue<string>();
        var me = await ConsoleSession.CandidateAsync(app, _api, (await _api.GetAsync($"/api/v1/agency/candidates/{candidateId}", agencyA.Key)).Body!["profile"]!["email"]!.GetValue<string>());
        var requested = await me.PostAsync($"/me/courses/{courseId}/request", ConsoleSession.Form(await me.GetStringAsync("/me"), ("send", "email")));
        Assert.Equal(HttpStatusCode.Redirect, requested.StatusCode);
        var requestId = (await _api.GetAsync("/api/v1/provider/requests", providerA.Key)).Body!["items"]![0]!["id"]!.GetValue<string>();
        var ids = new Dictionary<string, string>
        {
            ["links"] = linkId, ["jobs"] = jobId, ["redemptions"] = redemptionId, ["keys"] = keyId, ["connections"] = connectionId,
            ["greenhouse"] = connectionId, ["lever"] = connectionId, ["consortia"] = consortiumId, ["candidates"] = candidateId,
            ["referrals"] = registrationId, ["courses"] = courseId, ["requests"] = requestId,
        };

        // Tenant B and the other callers.
        var b = await _api.CreateCompanyAsync("株式会社ビー");
        var agencyB = await _api.CreateAgencyAsync();
        var callers = new (string Name, string? Key)[]
        {
            ("company B", b.Key), ("agency B", agencyB.Key), ("provider B", (await PartnerAsync("training_provider")).Key),
            ("school B", (await PartnerAsync("university")).Key), ("no key", null),
        };

        var routes = ServedRoutes.Of(app).Where(r => r.IsApi && r.HasParameters).Select(r => (r.Method, r.Pattern)).ToList();
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var (method, pattern) in routes)
        {
            string? path = pattern;
            foreach (Match m in Param().Matches(pattern))
            {
                var segment = pattern[..m.Index].TrimEnd('/').Split('/')[^1];
                path = ids.TryGetValue(segment, out var id) ? path!.Replace(m.Value, id) : null;
                if (path is null) break;
            }
            if (path is null) continue; // webhooks and deliveries: their own tests call them with another tenant's ids
            foreach (var (name, key) in callers)
            {
                checkedCount++;
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                if (key is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                using var response = await _api.Http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                if (status is not (400 or 401 or 403 or 404))
                    problems.Add($"{name}: {method} {pattern} → {status}");
                if (ids.Values.Any(v => body.Contains(v)) || body.Contains("A の") || body.Contains("@example.jp"))
                    problems.Add($"{name}: {method} {pattern} answered with the owner's data");
            }
        }
        Assert.True(checkedCount > 60, $"Only {checkedCount} calls were checked.");
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // And A still owns everything, unchanged.
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync($"/api/v1/company/consortia/{consortiumId}/summary", a.Key)).Status);
        Assert.Equal("open", (await _api.GetAsync("/api/v1/company/redemptions", a.Key)).Body!["items"]![0]!["status"]!.GetValue<string>());
        var course = (await _api.GetAsync("/api/v1/provider/courses", providerA.Key)).Body!["items"]![0]!;
        Assert.Null(course["closedAt"]?.GetValue<string>());
        Assert.Equal("none", (await _api.GetAsync("/api/v1/provider/requests", providerA.Key)).Body!["items"]![0]!["completion"]!.GetValue<string>());
    }

    private async Task<ApiClient.Tenant> PartnerAsync(string kind)
    {
        var (status, body) = await _api.PostAsync("/api/v1/admin/education-partners",
            new { name = ApiClient.Unique(kind), kind, contactEmail = $"{ApiClient.Unique("m")}@edu.example.jp" }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.Created, status);
        return new ApiClient.Tenant(body!["id"]!.GetValue<string>(), body["apiKey"]!.GetValue<string>());
    }

    [GeneratedRegex(@"\{[^}]+\}")] private static partial Regex Param();
}

public sealed class TenantIsolationMatrixTestsOnSqlite(SqliteApp app) : TenantIsolationMatrixTests(app), IClassFixture<SqliteApp>;
public sealed class TenantIsolationMatrixTestsOnPostgres(PostgresApp app) : TenantIsolationMatrixTests(app), IClassFixture<PostgresApp>;
