using System.Net;
using System.Text.Json.Nodes;

namespace CareerRelay.Tests.Features.Companies;

/// <summary>Consortia see pooled, anonymised figures and flows between members — never a person, never below five; partner contribution.</summary>
public abstract class NetworkTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task ConsortiumMembers_SeeFlowsBetweenThem_OnlyFromFive_AndOutsidersSeeNothing()
    {
        var (a, agency, _, token) = await _api.CreateRelayAsync();
        var b = await _api.CreateCompanyAsync("株式会社ビー");
        var outsider = await _api.CreateCompanyAsync();
        var jobAtB = await _api.CreateJobAsync(b.Key);

        var (created, consortium) = await _api.PostAsync("/api/v1/company/consortia", new { name = "関西 IT 採用アライアンス" }, a.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        var id = consortium!["id"]!.GetValue<string>();
        var code = consortium["inviteCode"]!.GetValue<string>();
        Assert.Matches("^CR-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$", code);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/company/consortia/join", new { inviteCode = code.ToLowerInvariant() }, b.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync("/api/v1/company/consortia/join", new { inviteCode = "CR-AAAA-AAAA-AAAA-AAAA" }, outsider.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v1/company/consortia/{id}/summary", outsider.Key)).Status);

        // Six people come through A's link; the agency places them one by one at B.
        await _api.QualifyAsync(token, agency.Id, 6);
        var (_, candidates) = await _api.GetAsync("/api/v1/agency/candidates", agency.Key);
        var ids = candidates!["items"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        for (var i = 0; i < 4; i++) await PlaceAsync(agency.Key, ids[i], jobAtB);

        var four = await SummaryAsync(id, b.Key);
        Assert.Null(Flow(four, "株式会社ビー")!["placements"]?.GetValue<int?>());  // B → A: none
        Assert.Null(Into(four, "株式会社ビー")!["placements"]?.GetValue<int?>());                // A → B: 4, below five: not shown
        Assert.Null(four["funnel"]!["placements"]?.GetValue<int?>());
        Assert.Equal(6, four["funnel"]!["registrations"]!.GetValue<int>());

        await PlaceAsync(agency.Key, ids[4], jobAtB);
        var five = await SummaryAsync(id, a.Key);
        Assert.Equal(5, Into(five, "株式会社ビー")!["placements"]!.GetValue<int>());
        Assert.Equal(5, five["funnel"]!["placements"]!.GetValue<int>());
        Assert.Equal(2, five["members"]!.AsArray().Count);
        var text = five.ToJsonString();
        Assert.DoesNotContain("@example.jp", text);
        Assert.DoesNotContain("山田", text);
        Assert.DoesNotContain(ids[0], text);

        // Partner contribution for A: its agency relayed six registrations and placed five.
        var (_, contribution) = await _api.GetAsync("/api/v1/company/partner-contribution", a.Key);
        var row = contribution!["agencies"]!.AsArray().Single(x => x!["agencyId"]!.GetValue<string>() == agency.Id)!;
        Assert.Equal(6, row["registrationsRelayed"]!.GetValue<int>());
        Assert.Equal(5, row["placements"]!.GetValue<int>());
        Assert.Null(row["satisfaction"]!["average"]?.GetValue<double?>());

        // Leaving: the former member no longer sees the consortium.
        Assert.Equal(HttpStatusCode.NoContent, (await _api.PostAsync($"/api/v1/company/consortia/{id}/leave", null, b.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/v1/company/consortia/{id}/summary", b.Key)).Status);
    }

    private async Task PlaceAsync(string agencyKey, string candidateId, string jobId)
    {
        var (status, body) = await _api.PostAsync("/api/v1/agency/placements", new { candidateId, jobId, startDate = "2027-04-01" }, agencyKey);
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
    }

    private async Task<JsonNode> SummaryAsync(string id, string key)
    {
        var (status, body) = await _api.GetAsync($"/api/v1/company/consortia/{id}/summary", key);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    private static JsonNode? Flow(JsonNode summary, string from) => summary["flows"]!.AsArray().Single(f => f!["from"]!.GetValue<string>() == from);
    private static JsonNode? Into(JsonNode summary, string to) => summary["flows"]!.AsArray().Single(f => f!["to"]!.GetValue<string>() == to);
}

public sealed class NetworkTestsOnSqlite(SqliteApp app) : NetworkTests(app), IClassFixture<SqliteApp>;
public sealed class NetworkTestsOnPostgres(PostgresApp app) : NetworkTests(app), IClassFixture<PostgresApp>;
