using System.Net;
using static CareerRelay.Tests.Harness.ConsoleSession;

namespace CareerRelay.Tests.Features.Operator;

/// <summary>The operator's pages: sign in with an operator key, publish the notice, search the audit log, export provision records.</summary>
public abstract class OperatorConsoleTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    private async Task<HttpClient> SignedInAsync()
    {
        var browser = Browser(app);
        var page = await browser.GetStringAsync("/operator/signin");
        var wrong = await browser.PostAsync("/operator/signin", Form(page, ("key", "cr_op_not-a-real-key-000000000000")));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var signedIn = await browser.PostAsync("/operator/signin", Form(page, ("key", CareerRelayApp.OperatorKey)));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    [Fact]
    public async Task Operator_FindsWhoReadACandidate_AndExportsTheProvisionRecordsOfAPeriod()
    {
        Assert.Equal(HttpStatusCode.Redirect, (await Browser(app).GetAsync("/operator/audit")).StatusCode);
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("audited")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        await _api.GetAsync("/api/v1/agency/candidates", agency.Key);
        var candidateId = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>();
        var browser = await SignedInAsync();

        // The test clock stands at 2026-11-21 (Japan time).
        var audit = await browser.GetStringAsync($"/operator/audit?candidateId={candidateId}&from=2026-11-21&to=2026-11-21");
        var agencyName = await app.WithDbAsync(db => db.Agencies.Where(a => a.Id == agency.Id).Select(a => a.Name).FirstAsync());
        Assert.Contains($"人材紹介会社：{agencyName}", audit); // the reader by name, not a raw id
        Assert.Contains("APIキー", audit); // and how: through one of its API keys
        Assert.Contains("候補者の一覧を表示", audit); // the action in words
        Assert.DoesNotContain("candidates.list", audit);
        Assert.DoesNotContain("data-audit-id", await browser.GetStringAsync($"/operator/audit?candidateId={candidateId}&from=2026-11-22&to=2026-11-30"));
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync($"/operator/audit?candidateId={candidateId}&from=2026-11-30&to=2026-11-01")).StatusCode);

        var provisions = await browser.GetStringAsync("/operator/provisions?from=2026-11-21&to=2026-11-21");
        Assert.Contains(candidateId, provisions);
        // 提供先 by name, 項目 and 根拠 in words: an operator can read the record without a dictionary.
        var row = System.Text.RegularExpressions.Regex.Match(provisions, $"<tr data-provision-id=\"[^\"]+\"><td[^>]*>[^<]+</td><td class=\"clip\" title=\"{candidateId}\">.*?</tr>",
            System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Contains(agencyName, row);
        Assert.Contains("氏名・メールアドレス", row);
        Assert.Contains("本人の同意", row);
        Assert.DoesNotContain("name,email", row);
        var csv = await browser.GetAsync("/operator/provisions.csv?from=2026-11-21&to=2026-11-21");
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,createdAtJst,candidateId,recipientType,recipientId,recipientName,items,basis", lines[0]);
        Assert.Contains(lines, l => l.Contains(candidateId, StringComparison.Ordinal) && l.Contains(agency.Id, StringComparison.Ordinal) && l.EndsWith(",consent", StringComparison.Ordinal));
        Assert.DoesNotContain(email, string.Join("\n", lines)); // pseudonymous: no personal data in the records

        var (status, page) = await _api.GetAsync("/api/v1/admin/provisions?from=2026-11-20T15:00:00Z&to=2026-11-21T15:00:00Z", CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(page!["items"]!.AsArray(), p => p!["candidateId"]!.GetValue<string>() == candidateId);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/api/v1/admin/provisions", agency.Key)).Status);

        // Provision records outlive erasure (3 years), under the pseudonymous id only.
        await _api.PostAsync("/api/v1/public/me/erase", new { token = await _api.MeTokenAsync(email) });
        Assert.Contains(candidateId, await browser.GetStringAsync("/operator/provisions?from=2026-11-21&to=2026-11-21"));
    }

    [Fact]
    public async Task Operator_FindsAPersonByTheAddressTheyWroteFrom_ThroughTheKeyedHash_AndTheLookUpIsRecordedWhereTheyCanSeeIt()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("complaint")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        var candidateId = (await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(email) })).Body!["candidate"]!["id"]!.GetValue<string>();
        var browser = await SignedInAsync();
        var page = await browser.GetStringAsync("/operator/audit");

        // Typed in any case or width, as a person reads it out: the same person; the address never enters a URL.
        var found = await browser.PostAsync("/operator/audit/lookup", Form(page, ("email", email.ToUpperInvariant())));
        Assert.Equal(HttpStatusCode.Redirect, found.StatusCode);
        var location = found.Headers.Location!.OriginalString;
        Assert.Contains($"candidateId={candidateId}", location);
        Assert.DoesNotContain("@", location);
        var audit = await browser.GetStringAsync(location);
        Assert.Contains("の方が見つかりました", audit);
        Assert.Contains("運営がメールアドレスから検索", audit); // the look-up is itself a recorded read
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.CandidateId == candidateId && a.ActorType == "operator" && a.Action == "operator.lookup")));
        Assert.DoesNotContain(app.Logs, l => l.Contains(email, StringComparison.OrdinalIgnoreCase));

        // The person sees it on their own page.
        var me = await CandidateAsync(app, _api, email);
        Assert.Contains("運営がメールアドレスから検索", await me.GetStringAsync("/me"));

        // Nobody with that address (or erased): said beside the field, nothing recorded.
        var unknown = await browser.PostAsync("/operator/audit/lookup", Form(page, ("email", "nobody@example.jp")));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("このメールアドレスの方は見つかりません", await unknown.Content.ReadAsStringAsync());
        var malformed = await browser.PostAsync("/operator/audit/lookup", Form(page, ("email", "not an address")));
        Assert.Contains("email-error", await malformed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Operator_PublishesANewNoticeVersion_WhichTheLandingPageAndTheApiUseAtOnce()
    {
        var browser = await SignedInAsync();
        var page = await browser.GetStringAsync("/operator");
        var (_, _, _, token) = await _api.CreateRelayAsync();
        var before = await _api.NoticeVersionAsync(token);

        var empty = await browser.PostAsync("/operator/notice", Form(page, ("textJa", ""), ("textEn", "only English")));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var published = await browser.PostAsync("/operator/notice", Form(page, ("textJa", "改訂した同意文（運営画面から）"), ("textEn", "Revised notice (from the operator page)")));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Contains($"第{before + 1}版を公開しました", await browser.GetStringAsync(published.Headers.Location!.OriginalString));
        Assert.Equal(before + 1, await _api.NoticeVersionAsync(token));
        var landing = await Browser(app).GetStringAsync($"/r/{token}");
        Assert.Contains("改訂した同意文（運営画面から）", landing);

        // A forged form (no token) publishes nothing.
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/operator/notice",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["textJa"] = "x", ["textEn"] = "y" }))).StatusCode);
        Assert.Equal(before + 1, await _api.NoticeVersionAsync(token));
    }
}

public sealed class OperatorConsoleTestsOnSqlite(SqliteApp app) : OperatorConsoleTests(app), IClassFixture<SqliteApp>;
public sealed class OperatorConsoleTestsOnPostgres(PostgresApp app) : OperatorConsoleTests(app), IClassFixture<PostgresApp>;
