using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CareerRelay.Web.Features.Credits;
using CareerRelay.Web.Features.Operator;
using Npgsql;

namespace CareerRelay.Tests.Features.Candidates;

/// <summary>The candidate's rights through the JSON routes of SPEC §6: sign-in link, export, withdrawal, erasure.</summary>
public abstract class CandidateRightsTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

    [Fact]
    public async Task SignInLink_Is202ForAnyAddress_WorksForManyPostsFor30Minutes_AndForgedOrExpiredTokensAre401()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("me")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);

        var unknown = $"{ApiClient.Unique("nobody")}@example.jp";
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync("/api/v1/public/me/link", new { email = unknown })).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsync("/api/v1/public/me/link", new { email = "not an address" })).Status);

        var me = await _api.MeTokenAsync(email);
        Assert.DoesNotContain(app.Mail.All(), m => m.To == unknown);
        // GETs (mail scanners) and several POSTs do not use it up.
        var browser = ConsoleSession.Browser(app);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/me/{me}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/me/{me}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/export", new { token = me })).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/export", new { token = me })).Status);

        foreach (var forged in new[] { me[..^2] + "xx", "x", "", new string('a', 500) })
        {
            var (status, problem) = await _api.PostAsync("/api/v1/public/me/export", new { token = forged });
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("unauthorized", problem!["code"]!.GetValue<string>());
        }
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync("/api/v1/public/me/export", new { token = me })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync($"/me/{me}")).StatusCode);
    }

    [Fact]
    public async Task Export_HoldsAllOfTheirDataConsentsProvisionsAndReads_AndNothingOfAnyoneElse()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var mine = $"{ApiClient.Unique("mine")}@example.jp";
        var theirs = $"{ApiClient.Unique("theirs")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, mine, agency.Id, phone: "090-1111-2222", name: "佐藤 花子");
        var theirRegistration = await _api.RegisterAndVerifyAsync(token, theirs, agency.Id, phone: "090-3333-4444", name: "鈴木 一郎");
        await _api.GetAsync("/api/v1/agency/candidates", agency.Key); // an audited read

        var (status, export) = await _api.PostAsync("/api/v1/public/me/export", new { token = await _api.MeTokenAsync(mine) });
        Assert.Equal(HttpStatusCode.OK, status);
        var profile = export!["candidate"]!["profile"]!;
        Assert.Equal("佐藤 花子", profile["name"]!.GetValue<string>());
        Assert.Equal(mine, profile["email"]!.GetValue<string>());
        Assert.Equal("090-1111-2222", profile["phone"]!.GetValue<string>());
        var consent = Assert.Single(export["consents"]!.AsArray())!;
        Assert.Equal(agency.Id, consent["agency"]!["id"]!.GetValue<string>());
        Assert.Equal(1, consent["noticeVersion"]!.GetValue<int>());
        var provision = Assert.Single(export["provisionRecords"]!.AsArray())!;
        Assert.Equal("consent", provision["basis"]!.GetValue<string>());
        Assert.Contains("email", provision["items"]!.GetValue<string>());
        Assert.Contains(export["accessLog"]!.AsArray(), a => a!["actor"]!["id"]!.GetValue<string>() == agency.Id);
        Assert.Single(export["registrations"]!.AsArray());

        var text = export.ToJsonString();
        Assert.DoesNotContain(theirs, text);
        Assert.DoesNotContain("鈴木", text);
        Assert.DoesNotContain("090-3333-4444", text);
        Assert.DoesNotContain(theirRegistration, text);
    }

    [Fact]
    public async Task Withdrawal_TakesTheCandidateAwayFromTheAgencyAtOnce_AndTellsTheAgency()
    {
        var (_, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("withdraw")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        Assert.Contains(await AgencyEmailsAsync(agency.Key), e => e == email);
        var me = await _api.MeTokenAsync(email);

        var other = await _api.CreateAgencyAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync("/api/v1/public/me/consents/withdraw", new { token = me, agencyId = other.Id })).Status);

        var (status, body) = await _api.PostAsync("/api/v1/public/me/consents/withdraw", new { token = me, agencyId = agency.Id });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("withdrawn", body!["status"]!.GetValue<string>());
        Assert.DoesNotContain(await AgencyEmailsAsync(agency.Key), e => e == email);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/consents/withdraw", new { token = me, agencyId = agency.Id })).Status);

        var (_, export) = await _api.PostAsync("/api/v1/public/me/export", new { token = me });
        var candidateId = export!["candidate"]!["id"]!.GetValue<string>();
        var contact = await app.WithDbAsync(db => db.Agencies.Where(a => a.Id == agency.Id).Select(a => a.ContactEmail).FirstAsync());
        // Test agencies may share a contact address; find the mail about this candidate.
        MailBox.Mail? notice = null;
        for (var i = 0; i < 200 && notice is null; i++, await Task.Delay(50))
            notice = app.Mail.All().FirstOrDefault(m => m.To == contact && m.Body.Contains(candidateId, StringComparison.Ordinal) && m.Subject.Contains("同意を撤回", StringComparison.Ordinal));
        Assert.NotNull(notice);
        Assert.Contains("同意を撤回", notice.Subject);
        Assert.DoesNotContain(email, notice.Body); // the agency is told who by pseudonymous id only
        Assert.NotNull(export!["consents"]![0]!["withdrawnAt"]);
    }

    [Fact]
    public async Task Erasure_LeavesNoTraceOfThePersonInTheDatabase_EndsTheToken_AndChangesNoCountOrLedger()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        await _api.QualifyAsync(token, agency.Id, 9);
        var email = $"{ApiClient.Unique("erase")}@example.jp";
        const string phone = "070-5555-6666";
        const string name = "消去 希望子";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id, phone: phone, name: name); // the tenth: a slot
        var me = await _api.MeTokenAsync(email);
        var candidateId = (await _api.PostAsync("/api/v1/public/me/export", new { token = me })).Body!["candidate"]!["id"]!.GetValue<string>();
        var wrappedKey = await app.WithDbAsync(db => db.CandidateKeys.Where(k => k.CandidateId == candidateId).Select(k => k.WrappedKey).FirstAsync());
        var summaryBefore = (await _api.SummaryAsync(company.Key)).ToJsonString();
        var ledgerBefore = (await _api.GetAsync("/api/v1/company/ledger", company.Key)).Body!.ToJsonString();
        Assert.Equal(1, ApiClient.Int(await _api.SummaryAsync(company.Key), "slotsEarned"));

        var (status, body) = await _api.PostAsync("/api/v1/public/me/erase", new { token = me });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("erased", body!["status"]!.GetValue<string>());

        // The token died with the person; the agency no longer sees them; the numbers did not move.
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync("/api/v1/public/me/export", new { token = me })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.PostAsync("/api/v1/public/me/erase", new { token = me })).Status);
        Assert.DoesNotContain(await AgencyEmailsAsync(agency.Key), e => e == email);
        Assert.Equal(summaryBefore, (await _api.SummaryAsync(company.Key)).ToJsonString());
        Assert.Equal(ledgerBefore, (await _api.GetAsync("/api/v1/company/ledger", company.Key)).Body!.ToJsonString());
        var verified = await app.WithDbAsync(db => app.Service<LedgerVerifier>().VerifyAsync(db, CancellationToken.None));
        Assert.True(verified.Ok, string.Join("; ", verified.Mismatches));

        // Nothing readable is left: not the address, the phone or the name, and not even the (wrapped) key.
        // (Only needles that cannot occur by chance: a digits-only needle would match PostgreSQL's hex text of random ciphertext.)
        var traces = new[] { Encoding.UTF8.GetBytes(email), Encoding.UTF8.GetBytes(phone), Encoding.UTF8.GetBytes("07055556666"), Encoding.UTF8.GetBytes(name), wrappedKey };
        foreach (var found in await StoredBytesContainingAsync(traces))
            Assert.Fail($"Found a trace of the erased person in {found}.");
        Assert.Contains(app.Logs, l => l.Contains($"Candidate {candidateId} erased", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Erasure_PutsThePseudonymousIdOnTheOperatorsErasureList_ForReplayAfterARestore()
    {
        var (company, agency, _, token) = await _api.CreateRelayAsync();
        var email = $"{ApiClient.Unique("erase-list")}@example.jp";
        await _api.RegisterAndVerifyAsync(token, email, agency.Id);
        var me = await _api.MeTokenAsync(email);
        var candidateId = (await _api.PostAsync("/api/v1/public/me/export", new { token = me })).Body!["candidate"]!["id"]!.GetValue<string>();
        var before = app.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/v1/public/me/erase", new { token = me })).Status);

        var (status, list) = await _api.GetAsync($"/api/v1/admin/erasures?since={before:O}", CareerRelayApp.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, status);
        var item = Assert.Single(list!["items"]!.AsArray(), i => i!["candidateId"]!.GetValue<string>() == candidateId)!;
        Assert.Equal(before, item["erasedAt"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.DoesNotContain(email, list.ToJsonString()); // ids and times only

        var (_, later) = await _api.GetAsync($"/api/v1/admin/erasures?since={before.AddMinutes(1):O}", CareerRelayApp.OperatorKey);
        Assert.DoesNotContain(later!["items"]!.AsArray(), i => i!["candidateId"]!.GetValue<string>() == candidateId);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync("/api/v1/admin/erasures?since=yesterday", CareerRelayApp.OperatorKey)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.GetAsync("/api/v1/admin/erasures", company.Key)).Status);
    }

    /// <summary>Where each trace still occurs: the SQLite file and its WAL byte for byte, or every PostgreSQL table as text.</summary>
    private async Task<List<string>> StoredBytesContainingAsync(byte[][] traces)
    {
        var found = new List<string>();
        if (app.Provider == Provider.Sqlite)
        {
            var file = Path.Combine(app.Directory, "test.db");
            foreach (var path in new[] { file, file + "-wal" }.Where(File.Exists))
            {
                byte[] bytes;
                await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                using (var copy = new MemoryStream()) { await stream.CopyToAsync(copy); bytes = copy.ToArray(); }
                found.AddRange(traces.Where(t => bytes.AsSpan().IndexOf(t) >= 0).Select(t => $"{Path.GetFileName(path)} ({t.Length} bytes)"));
            }
            return found;
        }
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var needles = traces.Select(t => t.Length == 0 ? "" : Encoding.UTF8.GetString(t)).ToList();
        needles[^1] = "\\x" + Convert.ToHexStringLower(traces[^1]); // bytea as text
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand($"SELECT t::text FROM \"{table}\" t", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = reader.GetString(0);
                found.AddRange(needles.Where(n => row.Contains(n, StringComparison.Ordinal)).Select(_ => table));
            }
        }
        return found;
    }

    private async Task<List<string>> AgencyEmailsAsync(string agencyKey) =>
        [.. (await _api.GetAsync("/api/v1/agency/candidates?limit=100", agencyKey)).Body!["items"]!.AsArray().Select(i => i!["email"]!.GetValue<string>())];
}

public sealed class CandidateRightsTestsOnSqlite(SqliteApp app) : CandidateRightsTests(app), IClassFixture<SqliteApp>;
public sealed class CandidateRightsTestsOnPostgres(PostgresApp app) : CandidateRightsTests(app), IClassFixture<PostgresApp>;
