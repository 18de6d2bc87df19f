using System.Net;
using System.Text.RegularExpressions;
using CareerRelay.Web.Features.Links;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.CompanyConsole;

/// <summary>The numbers HR takes to its managers: the weekly trend, the monthly report (page and CSV), the ROI simulator.</summary>
public abstract class ConsoleReportsTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task MonthlyReport_CountsThisMonthsClicksRegistrationsAndSlots_InPageCsvAndWeeklyTrend_AndAnEmptyMonthIsZero()
    {
        var contact = $"{ApiClient.Unique("hr")}@report-co.example.jp";
        var relay = await _api.CreateRelayAsync(contactEmail: contact);
        using (var visit = new HttpRequestMessage(HttpMethod.Get, $"/r/{relay.Token}"))
        {
            visit.Headers.UserAgent.ParseAdd("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Mobile/15E148 Safari/604.1");
            Assert.Equal(HttpStatusCode.OK, (await _api.Http.SendAsync(visit)).StatusCode);
        }
        await app.Service<ClickFlusher>().FlushAsync(CancellationToken.None);
        await _api.QualifyAsync(relay.Token, relay.Agency.Id, 10); // ten verified, qualified referrals → one slot
        await _api.RegisterAsync(relay.Token, $"{ApiClient.Unique("c")}@example.jp", relay.Agency.Id); // one not yet verified
        var (browser, _) = await SignInAsync(app, contact);

        // The test clock stands at 2026-11-21 10:00 in Japan.
        var report = await browser.GetStringAsync("/console/reports?month=2026-11");
        var expected = new Dictionary<string, int>
        {
            ["clicks"] = 1, ["registrations"] = 11, ["verified"] = 10, ["qualified"] = 10, ["reversed"] = 0, ["slotsEarned"] = 1, ["slotsRedeemed"] = 0, ["netSlots"] = 1,
        };
        foreach (var (field, value) in expected) Assert.True(Figure(report, field) == value, $"{field}: report shows {Figure(report, field)}, expected {value}");

        var csv = await browser.GetAsync("/console/reports.csv?month=2026-11");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var rows = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("month,measure,label,value", rows[0]);
        Assert.Contains("2026-11,registrations,登録,11", rows);
        Assert.Contains("2026-11,slotsEarned,獲得した無料採用枠,1", rows);

        // October had nothing; a malformed month is a clear 400, not an error page.
        Assert.Equal(0, Figure(await browser.GetStringAsync("/console/reports?month=2026-10"), "registrations"));
        var bad = await browser.GetAsync("/console/reports?month=2026-13");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("2026-11", await bad.Content.ReadAsStringAsync());

        // The dashboard's trend puts this week's numbers in this week's row (Monday 2026-11-16).
        var dashboard = await browser.GetStringAsync("/console");
        Assert.Contains("<svg", dashboard);
        var week = Regex.Match(dashboard, "<tr data-week=\"2026-11-16\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(["2026-11-16", "1", "11", "10", "10"], Regex.Matches(week, "<td[^>]*>([^<]*)</td>").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task RoiSimulator_ComputesWholeSlotsAndYenFromTheInputs_AndShowsTheCompanysActualFigures()
    {
        var contact = $"{ApiClient.Unique("hr")}@roi-co.example.jp";
        var relay = await _api.CreateRelayAsync(contactEmail: contact);
        await _api.PostAsync("/api/v1/company/invitations", new { linkId = relay.LinkId, count = 4 }, relay.Company.Key);
        await _api.RegisterAndVerifyAsync(relay.Token, $"{ApiClient.Unique("c")}@example.jp", relay.Agency.Id);
        var (browser, _) = await SignInAsync(app, contact);

        // 1,000 rejections × 5% = 50 registrations; × 80% = 40 qualified; 40 / 10 = 4 slots; 35% of ¥5,000,000 = ¥1,750,000 each.
        var page = await browser.GetStringAsync("/console/roi?rejections=1000&registrationRate=5&qualificationRate=80&salary=5000000&fee=35");
        Assert.Equal("50", Field(page, "registrations"));
        Assert.Equal("40", Field(page, "qualified"));
        Assert.Equal("4", Field(page, "slots"));
        Assert.Equal("1,750,000円", Field(page, "feePerHire"));
        Assert.Equal("7,000,000円", Field(page, "yenSaved"));
        Assert.Equal("4", Field(page, "actualInvitations"));
        Assert.Equal("1", Field(page, "actualRegistrations"));
        Assert.Equal("25.0%", Field(page, "actualRate"));

        // 19 qualified are one slot, not 1.9; an impossible rate is refused with a message and the default used.
        page = await browser.GetStringAsync("/console/roi?rejections=100&registrationRate=19&qualificationRate=100&lang=en");
        Assert.Equal("1", Field(page, "slots"));
        var invalid = await browser.GetAsync("/console/roi?registrationRate=250");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("aria-invalid=\"true\"", await invalid.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Job_EditedInTheConsoleOrByPut_ChangesForTheApi_KeepsWhatWasTypedOnError_AndIsNotFoundForOthers()
    {
        var contact = $"{ApiClient.Unique("hr")}@jobs-co.example.jp";
        var relay = await _api.CreateRelayAsync(contactEmail: contact);
        var jobId = await _api.CreateJobAsync(relay.Company.Key);
        var (browser, _) = await SignInAsync(app, contact);

        var edit = await browser.GetStringAsync($"/console/jobs/{jobId}");
        var saved = await browser.PostAsync($"/console/jobs/{jobId}", Form(edit, ("title", "インサイドセールス"), ("description", "SaaSの内勤営業"),
            ("prefecture", "14"), ("employmentType", "contract"), ("skills", "営業, Salesforce"), ("salaryMin", "4500000"), ("salaryMax", "")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var (_, jobs) = await _api.GetAsync("/api/v1/company/jobs", relay.Company.Key);
        var job = Assert.Single(jobs!["items"]!.AsArray())!;
        Assert.Equal("インサイドセールス", job["title"]!.GetValue<string>());
        Assert.Equal("14", job["prefecture"]!.GetValue<string>());
        Assert.Equal(["営業", "Salesforce"], job["skills"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Null(job["salaryMax"]);

        var refused = await browser.PostAsync($"/console/jobs/{jobId}", Form(edit, ("title", "タイトルは残る"), ("description", "説明"),
            ("prefecture", "13"), ("employmentType", "full_time"), ("skills", ""), ("salaryMin", "6000000"), ("salaryMax", "5000000")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        // The problem is said in Japanese beside the field it is about, which points at it; no developer English anywhere.
        Assert.Contains("<p class=\"field-error\" id=\"salaryMax-error\">年収の上限は下限以上にしてください。</p>", html);
        Assert.Matches("id=\"salaryMax\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"salaryMax-error\"", html);
        Assert.Contains("年収 上限（円）：年収の上限は下限以上にしてください。", html); // the summary names the field by its label
        Assert.DoesNotContain("salaryMax:", html);
        Assert.DoesNotContain("Must not", html);
        Assert.Contains("value=\"タイトルは残る\"", html);

        var (status, body) = await _api.PutAsync($"/api/v1/company/jobs/{jobId}", new
        {
            title = "フィールドセールス", description = "訪問営業", prefecture = "27", skills = new[] { "営業" }, employmentType = "full_time",
            preferredSkills = new[] { "英語" }, remoteAllowed = true, yearsRequired = 3,
        }, relay.Company.Key);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("フィールドセールス", body!["title"]!.GetValue<string>());
        Assert.Equal(["英語"], body["preferredSkills"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.True(body["remoteAllowed"]!.GetValue<bool>());
        Assert.Equal(3, body["yearsRequired"]!.GetValue<int>());
        Assert.Contains("checked", await browser.GetStringAsync($"/console/jobs/{jobId}")); // the console form shows remote work ticked
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PutAsync($"/api/v1/company/jobs/{jobId}", new
        {
            title = "x", description = "x", prefecture = "13", skills = Array.Empty<string>(), employmentType = "full_time", yearsRequired = 99,
        }, relay.Company.Key)).Status);

        var other = await _api.CreateCompanyAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PutAsync($"/api/v1/company/jobs/{jobId}", new
        {
            title = "x", description = "x", prefecture = "13", skills = Array.Empty<string>(), employmentType = "full_time",
        }, other.Key)).Status);
        var otherAdmin = $"{ApiClient.Unique("hr")}@other-co.example.jp";
        await _api.CreateRelayAsync(contactEmail: otherAdmin);
        var (otherBrowser, _) = await SignInAsync(app, otherAdmin);
        var notFound = await otherBrowser.GetAsync($"/console/jobs/{jobId}");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Contains("ページが見つかりません", await notFound.Content.ReadAsStringAsync()); // a page in the console's frame, not an empty answer
        var otherPage = await otherBrowser.GetStringAsync("/console/jobs");
        Assert.Equal(HttpStatusCode.NotFound, (await otherBrowser.PostAsync($"/console/jobs/{jobId}", Form(otherPage, ("title", "乗っ取り"), ("description", "x"),
            ("prefecture", "13"), ("employmentType", "full_time")))).StatusCode);
    }

    [Fact]
    public async Task APlacementBackAtTheRejectingCompany_CountsAsAPlacement_NotAsPlacedElsewhere_AndEveryPageNamesEachFigureAlike()
    {
        var contact = $"{ApiClient.Unique("hr")}@figures-co.example.jp";
        var relay = await _api.CreateRelayAsync(contactEmail: contact);
        var ownJob = await _api.CreateJobAsync(relay.Company.Key);
        var people = await _api.QualifyAsync(relay.Token, relay.Agency.Id, 2);
        var (_, list) = await _api.GetAsync("/api/v1/agency/candidates", relay.Agency.Key);
        var candidates = list!["items"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(2, candidates.Count);
        // One person is hired back by the company that rejected them, the other by a company outside CareerRelay.
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/v1/agency/placements", new { candidateId = candidates[0], jobId = ownJob, startDate = "2027-04-01" }, relay.Agency.Key)).Status);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync("/api/v1/agency/placements", new { candidateId = candidates[1], hiringCompanyName = "株式会社よそ", startDate = "2027-04-01" }, relay.Agency.Key)).Status);

        Assert.Equal(2, ApiClient.Int(await _api.SummaryAsync(relay.Company.Key), "placements"));
        var (_, loop) = await _api.GetAsync("/api/v1/company/loop", relay.Company.Key);
        Assert.Equal(1, loop!["placedElsewhere"]!.GetValue<int>());

        var (browser, _) = await SignInAsync(app, contact);
        var dashboard = await browser.GetStringAsync("/console");
        Assert.Equal((2, "入社（リレーした人）"), DashboardFigure(dashboard, "placements"));
        Assert.Equal((1, "他社で入社（リレーした人）"), DashboardFigure(dashboard, "placedElsewhere"));
        Assert.Equal("紹介カウント", DashboardFigure(dashboard, "qualifiedReferrals").Label);

        // The report and its CSV call each figure exactly as the dashboard does.
        var report = await browser.GetStringAsync("/console/reports?month=2026-11");
        Assert.Equal(2, Figure(report, "placements"));
        Assert.Contains("<dt title=\"", report);
        Assert.Contains(">入社（リレーした人）</dt>", report);
        Assert.Contains(">紹介カウント</dt>", report);
        Assert.DoesNotContain("有効紹介", report);
        var csv = await browser.GetStringAsync("/console/reports.csv?month=2026-11");
        Assert.Contains("2026-11,placements,入社（リレーした人）,2", csv);
        Assert.Contains("2026-11,qualified,紹介カウント,2", csv);
    }

    private static (int Value, string Label) DashboardFigure(string html, string field)
    {
        var match = Regex.Match(html, $"<li data-field=\"{field}\"><span class=\"figure\">([0-9,]+)</span><span class=\"label\"[^>]*>([^<]*)</span>");
        return (int.Parse(match.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value);
    }

    private static int Figure(string html, string field) =>
        int.Parse(Regex.Match(html, $"data-field=\"{field}\">([0-9,]+)<").Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);

    private static string Field(string html, string field) => Regex.Match(html, $"data-field=\"{field}\">([^<]*)<").Groups[1].Value;
}

public sealed class ConsoleReportsTestsOnSqlite(SqliteApp app) : ConsoleReportsTests(app), IClassFixture<SqliteApp>;
public sealed class ConsoleReportsTestsOnPostgres(PostgresApp app) : ConsoleReportsTests(app), IClassFixture<PostgresApp>;
