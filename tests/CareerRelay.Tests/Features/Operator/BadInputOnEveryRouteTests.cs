using System.Net;

namespace CareerRelay.Tests.Features.Operator;

/// <summary>Every route that takes a body, fed junk with a valid key: always a 4xx problem with a code, never a 5xx.</summary>
public abstract class BadInputOnEveryRouteTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private static readonly string[] Bodies =
    [
        "{bad", "[]", "\"text\"", "null", "{\"x\":", "{}",
        """{"name":5,"label":[],"agencyIds":"x","jobId":{},"count":"many","linkId":7,"reason":false,"textJa":1,"code":[],"externalRefs":[1],"token":{},"agencyId":[],"email":9}""",
        """{"name":"\u0000","label":"\ud800","contactEmail":"' OR 1=1 --","title":"<script>","skills":[null],"prefecture":"../../etc"}""",
        "{\"label\":\"" + new string('x', 300_000) + "\"}",
    ];

    [Fact]
    public async Task EveryBodyRoute_WithJunk_Answers4xxProblemNever5xx()
    {
        var (company, _, linkId, _) = await _api.CreateRelayAsync();
        var jobId = await _api.CreateJobAsync(company.Key);
        var routes = new (string Method, string Path, string? Key)[]
        {
            ("POST", "/api/v1/admin/companies", CareerRelayApp.OperatorKey),
            ("POST", "/api/v1/admin/agencies", CareerRelayApp.OperatorKey),
            ("POST", "/api/v1/admin/referrals/0199aaaaaaaa7000800000000000000a/reverse", CareerRelayApp.OperatorKey),
            ("PUT", "/api/v1/admin/notice", CareerRelayApp.OperatorKey),
            ("PUT", "/api/v1/company/partner-agencies", company.Key),
            ("POST", "/api/v1/company/links", company.Key),
            ("POST", "/api/v1/company/invitations", company.Key),
            ("POST", "/api/v1/company/jobs", company.Key),
            ("POST", "/api/v1/company/redemptions", company.Key),
            ("POST", "/api/v1/public/registrations", null),
            ("POST", "/api/v1/public/verifications", null),
            ("PUT", $"/api/v1/company/jobs/{jobId}", company.Key),
            ("POST", "/api/v1/public/me/export", null),
            ("POST", "/api/v1/public/me/consents/withdraw", null),
            ("POST", "/api/v1/public/me/erase", null),
        };
        foreach (var (method, path, key) in routes)
        foreach (var body in Bodies)
        {
            var (status, problem) = await _api.SendAsync(new HttpMethod(method), path, body, key);
            Assert.True((int)status is >= 400 and < 500, $"{method} {path} with {body[..Math.Min(40, body.Length)]} answered {(int)status}");
            Assert.False(string.IsNullOrEmpty(problem?["code"]?.GetValue<string>()), $"{method} {path}: no problem code");
        }
        // Nothing half-written: the junk created no company, link or job.
        var (_, links) = await _api.GetAsync("/api/v1/company/links", company.Key);
        Assert.Equal(linkId, Assert.Single(links!["items"]!.AsArray())!["id"]!.GetValue<string>());
        var (_, jobs) = await _api.GetAsync("/api/v1/company/jobs", company.Key);
        var job = Assert.Single(jobs!["items"]!.AsArray())!;
        Assert.Equal("法人営業", job["title"]!.GetValue<string>()); // the junk edits changed nothing
    }

    [Fact]
    public async Task PartnerAgencies_ReadBack_AndInvitationsByCount()
    {
        var (company, agency, linkId, _) = await _api.CreateRelayAsync();
        var (status, partners) = await _api.GetAsync("/api/v1/company/partner-agencies", company.Key);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(agency.Id, Assert.Single(partners!["agencyIds"]!.AsArray())!.GetValue<string>());

        var (created, body) = await _api.PostAsync("/api/v1/company/invitations", new { linkId, count = 3 }, company.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        var tokens = body!["invitations"]!.AsArray().Select(i => i!["token"]!.GetValue<string>()).ToList();
        Assert.Equal(3, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.StartsWith("inv_", t));
        Assert.All(body["invitations"]!.AsArray(), i => Assert.Null(i!["externalRef"]));
    }
}

public sealed class BadInputOnEveryRouteTestsOnSqlite(SqliteApp app) : BadInputOnEveryRouteTests(app), IClassFixture<SqliteApp>;
public sealed class BadInputOnEveryRouteTestsOnPostgres(PostgresApp app) : BadInputOnEveryRouteTests(app), IClassFixture<PostgresApp>;
