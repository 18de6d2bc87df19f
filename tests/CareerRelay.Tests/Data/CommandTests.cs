using System.Diagnostics;
using CareerRelay.Tests.Infrastructure;

namespace CareerRelay.Tests.Data;

/// <summary>The executable's commands, run as a separate process the way an operator runs them.</summary>
public sealed class CommandTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(Provider provider, string connectionString, string directory, string command)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CareerRelay.Web.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var arg in new[] { dll, command }) start.ArgumentList.Add(arg);
        start.Environment["Database__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__CareerRelay"] = connectionString;
        start.Environment["CareerRelay__DataDirectory"] = directory;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
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
        var dir = Databases.NewTempDirectory();
        var cs = await Databases.CreateAsync(Provider.Sqlite, dir);
        Assert.Equal(0, (await RunAsync(Provider.Sqlite, cs, dir, "migrate")).ExitCode);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(cs))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                INSERT INTO companies (id, name, contact_email, email_domain, created_at) VALUES ('c1', 'X', 'a@x.jp', 'x.jp', '2026-01-01 00:00:00');
                INSERT INTO company_accounts (company_id, qualified_count, balance, slots_owed) VALUES ('c1', 0, 3, 0);
                """;
            await cmd.ExecuteNonQueryAsync();
        }
        var verify = await RunAsync(Provider.Sqlite, cs, dir, "verify-ledger");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("\"field\": \"balance\"", verify.Output);
    }

    [Fact]
    public async Task VerifyLedger_WhenTheSummarysRollupsDrifted_NamesEachOne()
    {
        var dir = Databases.NewTempDirectory();
        var cs = await Databases.CreateAsync(Provider.Sqlite, dir);
        Assert.Equal(0, (await RunAsync(Provider.Sqlite, cs, dir, "migrate")).ExitCode);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(cs))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                INSERT INTO companies (id, name, contact_email, email_domain, created_at) VALUES ('c1', 'X', 'a@x.jp', 'x.jp', '2026-01-01 00:00:00');
                INSERT INTO company_accounts (company_id, qualified_count, balance, slots_owed, registration_count, invitation_count, slots_earned)
                VALUES ('c1', 0, 0, 0, 4, 2, 1);
                """;
            await cmd.ExecuteNonQueryAsync();
        }
        var verify = await RunAsync(Provider.Sqlite, cs, dir, "verify-ledger");
        Assert.Equal(1, verify.ExitCode);
        foreach (var field in new[] { "registrationCount", "invitationCount", "slotsEarnedRollup" })
            Assert.Contains($"\"field\": \"{field}\"", verify.Output);
    }
}
