using System.Net;
using System.Text;
using CareerRelay.Web.Features.Operator;
using Npgsql;

namespace CareerRelay.Tests.Features.Candidates;

/// <summary>Erasure, the most sensitive code: no trace of the person in the database files, counts and ledger unchanged, replayable after a restore.</summary>
public abstract class EraseCandidateTests(CareerRelayApp app)
{
    private readonly ApiClient _api = app.Api();

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
        foreach (var found in await StoredBytesContainingAsync(app, traces))
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

    /// <summary>
    /// Where each trace still occurs: the SQLite file and its WAL byte for byte, or every PostgreSQL table as text (the last trace is
    /// the person's wrapped key, looked for as bytea).
    /// </summary>
    internal static async Task<List<string>> StoredBytesContainingAsync(CareerRelayApp app, byte[][] traces)
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

public sealed class EraseCandidateTestsOnSqlite(SqliteApp app) : EraseCandidateTests(app), IClassFixture<SqliteApp>;
public sealed class EraseCandidateTestsOnPostgres(PostgresApp app) : EraseCandidateTests(app), IClassFixture<PostgresApp>;
