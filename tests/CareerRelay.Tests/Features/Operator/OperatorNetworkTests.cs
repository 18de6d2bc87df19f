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

    [Fact]
    public async Task Schools_AreASourceColumnBeforeTheCompanies_CountingOnlyGraduatesWhoShareTheirOutcomes()
    {
        var (a, agency, _, token) = await _api.CreateRelayAsync();
        var (status, created) = await _api.PostAsync("/api/v1/admin/education-partners",
            new { name = "みどり大学 キャリアセンター 就職支援課 第二窓口", kind = "university", contactEmail = $"{ApiClient.Unique("career")}@midori-u.example.jp" }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.Created, status);
        var schoolId = created!["id"]!.GetValue<string>();
        var emails = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var email = $"{ApiClient.Unique("net")}@example.jp";
            await _api.RegisterAndVerifyAsync(token, email, agency.Id);
            emails.Add(email);
        }
        // Two share their outcomes with the school, the third only names it.
        for (var i = 0; i < 3; i++)
        {
            var me = await CandidateAsync(app, _api, emails[i]);
            var fields = i < 2 ? new[] { ("schoolId", schoolId), ("graduationYear", "2025"), ("shareOutcomes", "on") } : [("schoolId", schoolId), ("graduationYear", "2025")];
            Assert.Equal(HttpStatusCode.Redirect, (await me.PostAsync("/me/school", Form(await me.GetStringAsync("/me"), fields))).StatusCode);
        }

        var (_, view) = await _api.GetAsync("/api/v1/admin/network?from=2026-11-01&to=2026-11-30", CareerRelayApp.OperatorKey);
        var link = view!["links"]!.AsArray().Single(l => l!["from"]!.GetValue<string>() == "s:" + schoolId)!;
        Assert.Equal("c:" + a.Id, link["to"]!.GetValue<string>());
        Assert.Equal(2, link["count"]!.GetValue<int>());
        var node = view["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "s:" + schoolId)!;
        Assert.Equal("school", node["column"]!.GetValue<string>());
        Assert.Equal("みどり大学 キャリアセンター 就職支援課 第二窓口", node["name"]!.GetValue<string>());

        var browser = await OperatorAsync(app);
        var page = await browser.GetStringAsync("/admin?from=2026-11-01&to=2026-11-30");
        Assert.Contains($"data-node=\"s:{schoolId}\"", page);
        // The drawing's outer column has 180 px for names: a long one is shortened, whole in its tooltip, never cut at the edge.
        Assert.Contains("<title>みどり大学 キャリアセンター 就職支援課 第二窓口 (2)</title>", page);
        Assert.Matches("</title>みどり大学[^<]*… \\(2\\)</text>", page);
        Assert.Contains("学校 → 企業 → エージェント → 入社先", page);
        Assert.Contains("教育機関パートナー（累計）", page);
        Assert.Contains("school,みどり大学 キャリアセンター 就職支援課 第二窓口,company,", await browser.GetStringAsync("/admin/network.csv?from=2026-11-01&to=2026-11-30"));
    }
}

public sealed class OperatorNetworkTestsOnSqlite(SqliteApp app) : OperatorNetworkTests(app), IClassFixture<SqliteApp>;
public sealed class OperatorNetworkTestsOnPostgres(PostgresApp app) : OperatorNetworkTests(app), IClassFixture<PostgresApp>;
