using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CareerRelay.Web.Features.Links;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Links;

/// <summary>
/// ?src= on relay links: a link names its sources; the source goes from the click (counted per source) through the page's form
/// to the registration, with anything unlisted as "other"; the dashboard, the monthly report, its CSV and
/// GET /summary?by=source show the same figures.
/// </summary>
public abstract class LinkSourceTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();
    private const string Browser = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";

    private async Task<string> OpenAsync(string path, string agent = Browser)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.UserAgent.ParseAdd(agent);
        using var response = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Sources_AreValidated_SetByPatch_AndAnotherCompanysLinkIsNotFound()
    {
        var company = await _api.CreateCompanyAsync();
        var (bad, problem) = await _api.PostAsync("/api/v1/company/links", new { label = "説明会", sources = new[] { "Job Fair!" } }, company.Key);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.NotNull(problem!["errors"]!["sources"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync("/api/v1/company/links", new { label = "x", sources = new[] { "other" } }, company.Key)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync("/api/v1/company/links",
            new { label = "x", sources = Enumerable.Range(0, 21).Select(i => $"s{i}").ToArray() }, company.Key)).Status);

        var (created, link) = await _api.PostAsync("/api/v1/company/links", new { label = "説明会", sources = new[] { "job-fair", "school", "job-fair" } }, company.Key);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(["job-fair", "school"], link!["sources"]!.AsArray().Select(s => s!.GetValue<string>()));
        var id = link["id"]!.GetValue<string>();
        var (patched, item) = await _api.SendAsync(HttpMethod.Patch, $"/api/v1/company/links/{id}", new { sources = new[] { "print", "line" } }, company.Key);
        Assert.Equal(HttpStatusCode.OK, patched);
        Assert.Equal(["print", "line"], item!["sources"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("説明会", item["label"]!.GetValue<string>()); // left out: unchanged
        var (renamed, _) = await _api.SendAsync(HttpMethod.Patch, $"/api/v1/company/links/{id}", new { label = "合同説明会" }, company.Key);
        Assert.Equal(HttpStatusCode.OK, renamed);
        var (_, list) = await _api.GetAsync("/api/v1/company/links", company.Key);
        var listed = list!["items"]!.AsArray().Single(l => l!["id"]!.GetValue<string>() == id)!;
        Assert.Equal(("合同説明会", 2), (listed["label"]!.GetValue<string>(), listed["sources"]!.AsArray().Count));

        var other = await _api.CreateCompanyAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.SendAsync(HttpMethod.Patch, $"/api/v1/company/links/{id}", new { sources = new[] { "x" } }, other.Key)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync("/api/v1/company/summary?by=link", company.Key)).Status);
    }

    [Fact]
    public async Task TheSource_GoesFromTheClickThroughTheForm_ToTheRegistration_AndEveryReportAgrees()
    {
        var admin = $"{ApiClient.Unique("hr")}@src-co.example.jp";
        var company = await _api.CreateCompanyAsync("株式会社ソース", admin);
        var agency = await _api.CreateAgencyAsync();
        await _api.PutAsync("/api/v1/company/partner-agencies", new { agencyIds = new[] { agency.Id } }, company.Key);
        var (_, link) = await _api.PostAsync("/api/v1/company/links", new { label = "2027 説明会", sources = new[] { "job-fair", "school" } }, company.Key);
        var (linkId, token) = (link!["id"]!.GetValue<string>(), link["token"]!.GetValue<string>());

        // Three people: from the fair (through the page's form), from a school (through the API), and from an unlisted "tv".
        var fairPage = await OpenAsync($"/r/{token}?src=job-fair");
        Assert.Contains("name=\"src\" value=\"job-fair\"", fairPage);
        Assert.Contains($"/r/{token}?lang=en&amp;src=job-fair", fairPage); // the other language keeps it
        await OpenAsync($"/r/{token}?src=school", Browser + " school");
        var tvPage = await OpenAsync($"/r/{token}?src=tv", Browser + " tv");
        Assert.DoesNotContain("name=\"src\"", tvPage); // unlisted: nothing to carry, it is "other"
        await app.Service<ClickFlusher>().FlushAsync(CancellationToken.None);

        var version = await _api.NoticeVersionAsync(token);
        var fairEmail = $"{ApiClient.Unique("fair")}@example.jp";
        var posted = await _api.Http.PostAsync($"/r/{token}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "説明会 花子", ["email"] = fairEmail, ["noticeVersion"] = version.ToString(), ["lang"] = "ja", ["agencyIds"] = agency.Id,
            ["agree"] = "yes", ["src"] = Regex.Match(fairPage, "name=\"src\" value=\"([^\"]+)\"").Groups[1].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var code = MailBox.VerificationCode(await app.Mail.WaitForAsync(fairEmail));
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/verifications", new { code })).Status);
        var (school, _) = await _api.PostAsync("/api/v1/public/registrations", new
        {
            token, name = "学校 太郎", email = $"{ApiClient.Unique("school")}@example.jp", source = "school",
            consent = new { noticeVersion = version, agencyIds = new[] { agency.Id } },
        });
        Assert.Equal(HttpStatusCode.Accepted, school);
        var (tv, _) = await _api.PostAsync("/api/v1/public/registrations", new
        {
            token, name = "テレビ 次郎", email = $"{ApiClient.Unique("tv")}@example.jp", source = "tv",
            consent = new { noticeVersion = version, agencyIds = new[] { agency.Id } },
        });
        Assert.Equal(HttpStatusCode.Accepted, tv);

        var (_, bySource) = await _api.GetAsync("/api/v1/company/summary?by=source", company.Key);
        Assert.Equal("source", bySource!["by"]!.GetValue<string>());
        JsonNode Row(string source) => bySource["items"]!.AsArray().Single(i => i!["source"]!.GetValue<string>() == source)!;
        Assert.Equal((1L, 1, 1, 1), (Row("job-fair")["clicks"]!.GetValue<long>(), Row("job-fair")["registrations"]!.GetValue<int>(),
            Row("job-fair")["verified"]!.GetValue<int>(), Row("job-fair")["qualifiedReferrals"]!.GetValue<int>()));
        Assert.Equal((1L, 1, 0), (Row("school")["clicks"]!.GetValue<long>(), Row("school")["registrations"]!.GetValue<int>(), Row("school")["verified"]!.GetValue<int>()));
        Assert.Equal((1L, 1), (Row(LinkSources.Other)["clicks"]!.GetValue<long>(), Row(LinkSources.Other)["registrations"]!.GetValue<int>()));
        Assert.Equal(3, bySource["items"]!.AsArray().Count);
        // The plain summary still adds up to the same.
        var summary = await _api.SummaryAsync(company.Key);
        Assert.Equal((3L, 3), (summary["clicks"]!.GetValue<long>(), summary["registrations"]!.GetValue<int>()));

        var (console, _) = await SignInAsync(app, admin);
        var dashboard = await console.GetStringAsync("/console");
        Assert.Matches($"data-link-id=\"{linkId}\" data-source=\"job-fair\">.*?<td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">1</td>",
            Regex.Replace(dashboard, @"\s+", " "));
        Assert.Contains($"data-link-id=\"{linkId}\" data-source=\"other\"", dashboard);
        var month = app.Clock.GetUtcNow().UtcDateTime.AddHours(9).ToString("yyyy-MM");
        var report = await console.GetStringAsync($"/console/reports?month={month}");
        Assert.Contains("data-source=\"school\"", report);
        var csv = await console.GetStringAsync($"/console/reports/sources.csv?month={month}");
        Assert.Contains($"{month},{linkId},2027 説明会,job-fair,1,1,1,1", csv);
        Assert.Contains($"{month},{linkId},2027 説明会,other,1,1,0,0", csv);

        // The links page offers each source's address and QR codes; the console saves sources with the API's rules.
        var linksPage = await console.GetStringAsync("/console/links");
        Assert.Contains($"/console/links/{linkId}/qr.png?src=school", linksPage);
        var saved = await console.PostAsync($"/console/links/{linkId}/sources", Form(linksPage, ("sources", "job-fair, school, LINE")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("value=\"job-fair, school, line\"", await console.GetStringAsync("/console/links"));
        var refused = await console.PostAsync($"/console/links/{linkId}/sources", Form(await console.GetStringAsync("/console/links"), ("sources", "テレビ")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("半角英小文字", await refused.Content.ReadAsStringAsync());
    }
}

public sealed class LinkSourceTestsOnSqlite(SqliteApp app) : LinkSourceTests(app), IClassFixture<SqliteApp>;
public sealed class LinkSourceTestsOnPostgres(PostgresApp app) : LinkSourceTests(app), IClassFixture<PostgresApp>;
