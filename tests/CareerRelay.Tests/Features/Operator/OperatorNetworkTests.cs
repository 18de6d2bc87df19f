using System.Net;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Operator;

/// <summary>The operator sees the network: company → agency → hiring company over a period, as a Sankey diagram, a table and CSV.</summary>
public abstract class OperatorNetworkTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task Operator_SeesPeopleFlowFromCompaniesThroughAgenciesToHiringCompanies_AndNobodyElseDoes()
    {
        var (a, agency, _, token) = await _api.CreateRelayAsync();
        var hiring = await _api.CreateCompanyAsync("株式会社入社先");
        var job = await _api.CreateJobAsync(hiring.Key);
        await _api.QualifyAsync(token, agency.Id, 3);
        var candidate = (await _api.GetAsync("/api/v1/agency/candidates", agency.Key)).Body!["items"]![0]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/v1/agency/placements", new { candidateId = candidate, jobId = job, startDate = "2027-04-01" }, agency.Key)).Status);

        var (status, view) = await _api.GetAsync("/api/v1/admin/network?from=2026-11-01&to=2026-11-30", CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, status);
        var links = view!["links"]!.AsArray();
        Assert.Equal(3, links.Single(l => l!["from"]!.GetValue<string>() == "c:" + a.Id && l["to"]!.GetValue<string>() == "a:" + agency.Id)!["count"]!.GetValue<int>());
        Assert.Equal(1, links.Single(l => l!["from"]!.GetValue<string>() == "a:" + agency.Id && l["to"]!.GetValue<string>() == "h:" + hiring.Id)!["count"]!.GetValue<int>());
        Assert.Equal(2, links.Single(l => l!["from"]!.GetValue<string>() == "a:" + agency.Id && l["to"]!.GetValue<string>() == "in_support")!["count"]!.GetValue<int>());
        Assert.DoesNotContain("@example.jp", view.ToJsonString());

        // Another period: nothing. A company's key: forbidden.
        var (_, empty) = await _api.GetAsync("/api/v1/admin/network?from=2025-01-01&to=2025-01-31", CareerRelayApp.OperatorKey);
        Assert.Empty(empty!["links"]!.AsArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/api/v1/admin/network", a.Key)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync("/api/v1/admin/network?from=yesterday", CareerRelayApp.OperatorKey)).Status);

        // The page: not without the operator's session; with it, the diagram and the same figures in a table, and CSV.
        Assert.Equal(HttpStatusCode.Redirect, (await Browser(app).GetAsync("/admin")).StatusCode);
        var browser = Browser(app);
        var signin = await browser.GetStringAsync("/operator/signin");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/operator/signin", Form(signin, ("key", CareerRelayApp.OperatorKey)))).StatusCode);
        var page = await browser.GetStringAsync("/admin?from=2026-11-01&to=2026-11-30");
        Assert.Contains("<svg class=\"sankey\"", page);
        Assert.Contains("株式会社入社先", page);
        Assert.Contains($"data-flow=\"c:{a.Id}&gt;a:{agency.Id}\"", page);
        var csv = await browser.GetStringAsync("/admin/network.csv?from=2026-11-01&to=2026-11-30");
        Assert.Contains("agency,", csv);
        Assert.Contains("hiring_company,株式会社入社先,1", csv);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync("/admin?from=2026-13-01")).StatusCode);
    }
}

public sealed class OperatorNetworkTestsOnSqlite(SqliteApp app) : OperatorNetworkTests(app), IClassFixture<SqliteApp>;
public sealed class OperatorNetworkTestsOnPostgres(PostgresApp app) : OperatorNetworkTests(app), IClassFixture<PostgresApp>;
