using System.Net;
using System.Text;
using CareerRelay.Web.Data;

namespace CareerRelay.Tests.Reliability;

/// <summary>
/// R5 (SPEC §8): every route the app serves — API and pages — — read from its routing table, so a new route is fuzzed the day it
/// appears — fed malformed JSON, wrong types, Unicode edge cases, injection strings, path traversal and odd query
/// values, with the key of the route's own role. Always a 4xx (or a 2xx where the input happens to be acceptable),
/// never a 5xx; no business table gains or loses a row.
/// </summary>
public abstract class FuzzEveryRouteTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private static readonly string[] Bodies =
    [
        "", "{bad", "[]", "\"text\"", "null", "{\"x\":", "{}", "123", "true",
        """{"name":5,"label":[],"agencyIds":"x","jobId":{},"count":"many","linkId":7,"reason":false,"code":[],"token":{},"email":9,"stage":1,"system":[],"url":{},"events":"all","scope":0,"secret":[],"inviteCode":{}}""",
        """{"name":"\u0000","label":"\ud800","contactEmail":"' OR 1=1 --","title":"<script>alert(1)</script>","skills":[null],"prefecture":"../../etc/passwd","url":"http://169.254.169.254/latest","eventId":"\u202e\u200b","type":"rejected","applicationId":"%00","occurredAt":"9999-99-99T99:99:99Z"}""",
        """{"name":"𠮷野家🍣","email":"a@b","inviteCode":"CR-' OR '1'='1","system":"greenhouse\u0000","url":"file:///etc/passwd","events":["slot.earned","slot.earned"],"graceHours":-1,"count":2147483648}""",
        "{\"label\":\"" + new string('x', 300_000) + "\"}",
        "{\"a\":" + string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)) + "}",
    ];

    // (A NUL byte in the path never reaches the app: Kestrel refuses it with 400, and the test host cannot send it.)
    private static readonly string[] RouteValues =
        ["0199aaaaaaaa7000800000000000000a", "..%2F..%2Fetc%2Fpasswd", "%27%20OR%201%3D1--", new string('z', 500), "%F0%9F%8D%A3", "%E2%80%AE"];

    private static readonly string[] Queries =
        ["?limit=abc", "?limit=-1", "?limit=100000", "?cursor=../../x", "?cursor=%27", "?from=2026-13-45&to=yesterday", "?lang=%00", "?candidateId=%27%20OR%201%3D1"];

    [Fact]
    public async Task EveryApiRoute_WithHostileInput_AnswersWithoutA5xx_AndWritesNothing()
    {
        var (company, agency, _, _) = await _api.CreateRelayAsync();
        await _api.CreateJobAsync(company.Key);
        var keys = new Dictionary<string, string?>
        {
            [ApiKeyAuthenticationSetupNames.Operator] = CareerRelayApp.OperatorKey,
            [ApiKeyAuthenticationSetupNames.Company] = company.Key,
            [ApiKeyAuthenticationSetupNames.Agency] = agency.Key,
        };
        var routes = ServedRoutes.Of(app).Select(r => (r.Method, r.Pattern, Key: r.Policy is not null && keys.TryGetValue(r.Policy, out var k) ? k : null)).ToList();
        Assert.True(routes.Count > 120, $"Only {routes.Count} routes found.");
        var before = await BusinessRows.CountAsync(app);

        var failures = new List<string>();
        var accepted = new List<string>();
        var requests = 0;
        foreach (var (method, pattern, key) in routes)
        {
            var paths = pattern.Contains('{')
                ? RouteValues.Select(v => System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]+\}", v)).ToList()
                : [pattern];
            foreach (var path in paths)
            {
                var inputs = method is "GET" or "DELETE" ? Queries.Prepend("").Select(q => (Path: path + q, Body: (string?)null))
                    : Bodies.Select(b => (Path: path, Body: (string?)b));
                foreach (var (target, body) in inputs)
                {
                    requests++;
                    using var request = new HttpRequestMessage(new HttpMethod(method), target);
                    // API routes get JSON; pages get the same junk as a form post (what a browser or a bot would send).
                    if (body is not null)
                        request.Content = pattern.StartsWith("/api/", StringComparison.Ordinal)
                            ? new StringContent(body, Encoding.UTF8, "application/json")
                            : new StringContent("name=" + Uri.EscapeDataString(body[..Math.Min(body.Length, 5000)]) + "&email=%27&agree=yes&__af=x", Encoding.UTF8, "application/x-www-form-urlencoded");
                    if (key is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                    using var response = await _api.Http.SendAsync(request);
                    if ((int)response.StatusCode >= 500)
                        failures.Add($"{method} {target[..Math.Min(120, target.Length)]} body {body?[..Math.Min(60, body.Length)]} → {(int)response.StatusCode}");
                    else if (response.IsSuccessStatusCode && method is not ("GET" or "HEAD"))
                        accepted.Add($"{method} {pattern}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests answered 5xx:\n" + string.Join("\n", failures.Take(30))
            + "\n" + string.Join("\n", app.Logs.Where(l => l.Contains("Exception")).Take(3)));
        Assert.True(requests > 5000, $"Only {requests} requests were made.");
        // Nothing half-written: a table may only gain rows where some hostile-looking input was in fact valid and answered
        // 2xx (e.g. a key named "𠮷野家🍣"), never more rows than such answers; without a success, nothing changes.
        var after = await BusinessRows.CountAsync(app);
        var changed = after.Where(t => t.Value != before[t.Key]).Select(t => $"{t.Key}: {before[t.Key]} → {t.Value}").ToList();
        Assert.True(changed.Count == 0 || accepted.Count > 0, "Rows changed without any success answer: " + string.Join(", ", changed));
        Assert.All(after, t => Assert.InRange(t.Value - before[t.Key], 0, accepted.Count));
        // Where some of these inputs are genuinely valid: any printable name (keys, consortia), all-optional settings, and
        // /me/link, which answers 202 whatever the address (SPEC §6). Anywhere else a success means validation let junk in.
        string[] lenient = ["/keys", "/consortia", "/ats/settings", "/public/me/link"];
        Assert.True(accepted.All(a => lenient.Any(a.EndsWith)), "Unexpected routes accepted hostile input: " + string.Join(", ", accepted.Distinct()));
    }


    private static class ApiKeyAuthenticationSetupNames
    {
        public const string Operator = CareerRelay.Web.Infrastructure.Auth.ApiKeyAuthenticationSetup.OperatorPolicy;
        public const string Company = CareerRelay.Web.Infrastructure.Auth.ApiKeyAuthenticationSetup.CompanyPolicy;
        public const string Agency = CareerRelay.Web.Infrastructure.Auth.ApiKeyAuthenticationSetup.AgencyPolicy;
    }
}

public sealed class FuzzEveryRouteTestsOnSqlite(SqliteApp app) : FuzzEveryRouteTests(app), IClassFixture<SqliteApp>;
public sealed class FuzzEveryRouteTestsOnPostgres(PostgresApp app) : FuzzEveryRouteTests(app), IClassFixture<PostgresApp>;
