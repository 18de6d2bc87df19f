using System.Diagnostics;

namespace CareerRelay.Tests.Data;

/// <summary>The executable's commands, run as a separate process the way an operator runs them.</summary>
public sealed class CommandTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(Provider provider, string connectionString, string directory, string command,
        string? argument = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CareerRelay.Web.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var arg in argument is null ? new[] { dll, command } : [dll, command, argument]) start.ArgumentList.Add(arg);
        start.Environment["Database__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__CareerRelay"] = connectionString;
        start.Environment["CareerRelay__DataDirectory"] = directory;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>A fresh SQLite database migrated by the command, then given rows as an operator's hands (or a restore) would.</summary>
    private static async Task<(string Directory, string ConnectionString)> MigratedSqliteWithAsync(string sql)
    {
        var dir = Databases.NewTempDirectory();
        var cs = await Databases.CreateAsync(Provider.Sqlite, dir);
        Assert.Equal(0, (await RunAsync(Provider.Sqlite, cs, dir, "migrate")).ExitCode);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(cs);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
        return (dir, cs);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Migrate_ThenVerifyLedger_AppliesOnceAndReportsClean(Provider provider)
    {
        var dir = Databases.NewTempDirectory();
        var cs = await Databases.CreateAsync(provider, dir);
        try
        {
            var first = await RunAsync(provider, cs, dir, "migrate");
            Assert.True(first.ExitCode == 0, first.Output);
            Assert.Contains("0001_initial", first.Output);
            var second = await RunAsync(provider, cs, dir, "migrate");
            Assert.Contains("up to date", second.Output);

            var verify = await RunAsync(provider, cs, dir, "verify-ledger");
            Assert.True(verify.ExitCode == 0, verify.Output);
            Assert.Contains("\"ok\": true", verify.Output);
        }
        finally { await Databases.DropAsync(provider, cs); }
    }

    [Fact]
    public async Task VerifyLedger_WhenABalanceWasTamperedWith_ExitsOneAndNamesTheMismatch()
    {
        var (dir, cs) = await MigratedSqliteWithAsync("""
            INSERT INTO companies (id, name, contact_email, email_domain, created_at) VALUES ('c1', 'X', 'a@x.jp', 'x.jp', '2026-01-01 00:00:00');
            INSERT INTO company_accounts (company_id, qualified_count, balance, slots_owed) VALUES ('c1', 0, 3, 0);
            """);
        var verify = await RunAsync(Provider.Sqlite, cs, dir, "verify-ledger");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("\"field\": \"balance\"", verify.Output);
    }

    [Fact]
    public async Task VerifyLedger_WhenTheSummarysRollupsDrifted_NamesEachOne()
    {
        var (dir, cs) = await MigratedSqliteWithAsync("""
            INSERT INTO companies (id, name, contact_email, email_domain, created_at) VALUES ('c1', 'X', 'a@x.jp', 'x.jp', '2026-01-01 00:00:00');
            INSERT INTO company_accounts (company_id, qualified_count, balance, slots_owed, registration_count, invitation_count, slots_earned)
            VALUES ('c1', 0, 0, 0, 4, 2, 1);
            """);
        var verify = await RunAsync(Provider.Sqlite, cs, dir, "verify-ledger");
        Assert.Equal(1, verify.ExitCode);
        foreach (var field in new[] { "registrationCount", "invitationCount", "slotsEarnedRollup" })
            Assert.Contains($"\"field\": \"{field}\"", verify.Output);
    }

    [Fact]
    public async Task ReplayErasures_AfterARestore_ErasesAgainWhoeverTheBackupBroughtBack()
    {
        // A "restored backup": a person erased since it was taken is back in it, with their key.
        var (dir, cs) = await MigratedSqliteWithAsync("""
            INSERT INTO candidates (id, email_hash, profile, created_at, updated_at) VALUES ('cand-back', 'e-back', x'01', '2026-11-01 00:00:00', '2026-11-01 00:00:00');
            INSERT INTO candidate_keys (candidate_id, wrapped_key) VALUES ('cand-back', x'02');
            """);
        // The list exported from the live system after the backup (GET /api/v1/admin/erasures).
        var list = Path.Combine(dir, "erasures.json");
        await File.WriteAllTextAsync(list, """{"items":[{"candidateId":"cand-back","erasedAt":"2026-11-20T02:00:00Z"},{"candidateId":"cand-never-restored","erasedAt":"2026-11-20T03:00:00Z"}]}""",
            TestContext.Current.CancellationToken);

        var replay = await RunAsync(Provider.Sqlite, cs, dir, "replay-erasures", list);
        Assert.True(replay.ExitCode == 0, replay.Output);
        Assert.Contains("Erased again: 1; already gone: 1.", replay.Output);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(cs))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT (SELECT count(*) FROM candidates WHERE id = 'cand-back') || '/' || (SELECT count(*) FROM candidate_keys WHERE candidate_id = 'cand-back') || '/' || (SELECT count(*) FROM erasures WHERE candidate_id = 'cand-back')";
            Assert.Equal("0/0/1", (string?)await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }
        Assert.Contains("Erased again: 0; already gone: 2.", (await RunAsync(Provider.Sqlite, cs, dir, "replay-erasures", list)).Output);
        Assert.Equal(2, (await RunAsync(Provider.Sqlite, cs, dir, "replay-erasures")).ExitCode); // no file: usage, nothing done
    }
}
