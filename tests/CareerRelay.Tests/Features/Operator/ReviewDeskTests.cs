using System.Net;
using System.Text.RegularExpressions;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Operator;

/// <summary>
/// The operator's review desk: a banned link holds what comes through it; the queue shows the signal and the counts; notes,
/// bulk and single decisions, the decided list with who decided, CSV — and every action on record. Only the operator gets in.
/// </summary>
public abstract class ReviewDeskTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task ABannedLink_HoldsEveryLaterRegistration_UntilUnbanned_AndOnlyTheOperatorMayBan()
    {
        var (company, agency, linkId, token) = await _api.CreateRelayAsync();
        await _api.RegisterAndVerifyAsync(token, $"{ApiClient.Unique("before")}@example.jp", agency.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.PostAsync($"/api/v1/admin/links/{linkId}/ban", new { }, company.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync("/api/v1/admin/links/no-such-link/ban", new { }, CareerRelayApp.OperatorKey)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync($"/api/v1/admin/links/{linkId}/ban", new { note = new string('x', 1001) }, CareerRelayApp.OperatorKey)).Status);

        var (banned, state) = await _api.PostAsync($"/api/v1/admin/links/{linkId}/ban", new { note = "同一IPから大量" }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, banned);
        Assert.Equal(("link", true), (state!["kind"]!.GetValue<string>(), state["banned"]!.GetValue<bool>()));
        var (again, same) = await _api.PostAsync($"/api/v1/admin/links/{linkId}/ban", new { }, CareerRelayApp.OperatorKey);
        Assert.Equal((HttpStatusCode.OK, state["bannedAt"]!.GetValue<string>()), (again, same!["bannedAt"]!.GetValue<string>()));

        var held = await _api.RegisterAndVerifyAsync(token, $"{ApiClient.Unique("after")}@example.jp", agency.Id);
        var summary = await _api.SummaryAsync(company.Key);
        Assert.Equal((1, 1), (ApiClient.Int(summary, "qualifiedReferrals"), ApiClient.Int(summary, "held")));
        var (_, holds) = await _api.GetAsync("/api/v1/admin/holds?limit=100", CareerRelayApp.OperatorKey);
        Assert.Equal("link_banned", holds!["items"]!.AsArray().Single(h => h!["id"]!.GetValue<string>() == held)!["reason"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/v1/admin/links/{linkId}/unban", new { note = "企業に確認済み" }, CareerRelayApp.OperatorKey)).Status);
        await _api.RegisterAndVerifyAsync(token, $"{ApiClient.Unique("lifted")}@example.jp", agency.Id);
        summary = await _api.SummaryAsync(company.Key);
        Assert.Equal((2, 1), (ApiClient.Int(summary, "qualifiedReferrals"), ApiClient.Int(summary, "held"))); // the one held meanwhile stays held

        var (noted, _) = await _api.PostAsync($"/api/v1/admin/referrals/{held}/notes", new { note = "企業に経路を確認中" }, CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, noted);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsync($"/api/v1/admin/referrals/{held}/notes", new { note = "" }, CareerRelayApp.OperatorKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync("/api/v1/admin/referrals/nope/notes", new { note = "x" }, CareerRelayApp.OperatorKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync($"/api/v1/admin/referrals/{held}/release", null, CareerRelayApp.OperatorKey)).Status);

        // The timeline says it all, with who: ban, held, note, release, unban.
        var desk = await OperatorAsync(app);
        var detail = await desk.GetStringAsync($"/operator/holds/{held}");
        foreach (var e in new[] { "registered", "verified", "held", "link_ban", "note", "release", "link_unban" })
            Assert.Contains($"data-event=\"{e}\"", detail);
        Assert.Contains("企業に経路を確認中", detail);
        Assert.Contains("（bootstrap）", detail);
        Assert.Contains("停止中のリンク経由", detail);
    }

    [Fact]
    public async Task TheDesk_ListsHoldsWithSignalAndCounts_DecidesInBulkAndOneByOne_AndRecordsWhoDecided()
    {
        var (company, agency, linkId, token) = await _api.CreateRelayAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add(await _api.RegisterAndVerifyAsync(token, $"{ApiClient.Unique("tmp")}@mailinator.com", agency.Id));
        Assert.Equal(3, ApiClient.Int(await _api.SummaryAsync(company.Key), "held"));

        // Only the operator: a company's console session or nobody gets the sign-in page, never the desk.
        Assert.Equal(HttpStatusCode.Redirect, (await Browser(app).GetAsync("/operator/holds")).StatusCode);

        var desk = await OperatorAsync(app);
        var page = await desk.GetStringAsync("/operator/holds?signal=disposable_email");
        foreach (var id in ids) Assert.Contains($"data-referral-id=\"{id}\" data-signal=\"disposable_email\"", page);
        Assert.Contains("使い捨てメールアドレス", page);
        Assert.DoesNotContain("mailinator", page); // never the person's address
        Assert.Matches("<td class=\"n\">3</td><td class=\"n\">3</td>", Regex.Replace(page, @"\s+", " ")); // 3 on the link in 24h, 3 held on it
        Assert.DoesNotContain(ids[0], await desk.GetStringAsync("/operator/holds?signal=ip_burst"));

        // A reversal without a reason is refused on the page, nothing decided.
        var refused = await desk.PostAsync("/operator/holds/decide", Form(page, ("ids", ids[0]), ("decision", "reverse"), ("reason", "")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("reason-error", await refused.Content.ReadAsStringAsync());
        Assert.Equal(3, ApiClient.Int(await _api.SummaryAsync(company.Key), "held"));

        // Two released in bulk (one of them twice: the second is skipped), one reversed from its own page.
        var bulk = await desk.PostAsync("/operator/holds/decide", Form(page, ("ids", ids[0]), ("ids", ids[1]), ("decision", "release"), ("back", "/operator/holds?view=held")));
        Assert.Equal(HttpStatusCode.Redirect, bulk.StatusCode);
        Assert.Contains("2件を判断しました（対象外 0件）", await desk.GetStringAsync(bulk.Headers.Location!));
        var twice = await desk.PostAsync("/operator/holds/decide", Form(page, ("ids", ids[1]), ("decision", "release")));
        Assert.Contains("skipped=1", twice.Headers.Location!.OriginalString);
        var one = await desk.GetStringAsync($"/operator/holds/{ids[2]}");
        var reversed = await desk.PostAsync("/operator/holds/decide", Form(one, ("ids", ids[2]), ("decision", "reverse"), ("reason", "使い捨てアドレスの連続登録"), ("back", $"/operator/holds/{ids[2]}")));
        Assert.Equal($"/operator/holds/{ids[2]}?done=decided&n=1&skipped=0", reversed.Headers.Location!.OriginalString);
        var summary = await _api.SummaryAsync(company.Key);
        Assert.Equal((0, 2), (ApiClient.Int(summary, "held"), ApiClient.Int(summary, "qualifiedReferrals")));

        var decided = Regex.Replace(await desk.GetStringAsync("/operator/holds?view=resolved"), @"\s+", " ");
        Assert.Matches($"data-referral-id=\"{ids[2]}\" data-decision=\"reverse\">.*?使い捨てメールアドレス.*?取り消し.*?data-field=\"decidedBy\">bootstrap<", decided);
        Assert.Contains($"data-referral-id=\"{ids[0]}\" data-decision=\"release\"", decided);
        var csv = await desk.GetStringAsync("/operator/holds.csv?view=resolved");
        Assert.Contains($"{ids[2]},reverse,disposable_email,reversed,bootstrap,使い捨てアドレスの連続登録,", csv);
        Assert.StartsWith("referralId,signal,", await desk.GetStringAsync("/operator/holds.csv"));

        // Ban and unban from the page, with the ban listed while it lasts.
        var ban = await desk.PostAsync($"/operator/links/{linkId}/ban", Form(one, ("note", "調査中"), ("back", "/operator/holds")));
        Assert.Equal(HttpStatusCode.Redirect, ban.StatusCode);
        Assert.Contains($"data-banned-id=\"{linkId}\"", await desk.GetStringAsync("/operator/holds"));
        await desk.PostAsync($"/operator/links/{linkId}/unban", Form(one, ("back", "/operator/holds")));
        Assert.DoesNotContain($"data-banned-id=\"{linkId}\"", await desk.GetStringAsync("/operator/holds"));
        Assert.Equal(HttpStatusCode.NotFound, (await desk.GetAsync("/operator/holds/no-such-referral")).StatusCode);
    }
}

public sealed class ReviewDeskTestsOnSqlite(SqliteApp app) : ReviewDeskTests(app), IClassFixture<SqliteApp>;
public sealed class ReviewDeskTestsOnPostgres(PostgresApp app) : ReviewDeskTests(app), IClassFixture<PostgresApp>;
