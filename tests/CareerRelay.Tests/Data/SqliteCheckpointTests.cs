using System.Net;
using Microsoft.Data.Sqlite;

namespace CareerRelay.Tests.Data;

/// <summary>
/// SQLite's write-ahead log is copied into the database file beside the writer, not inside its commits
/// (the single writer used to stop every few batches for a checkpoint; see docs/benchmarks.md, issue 9).
/// </summary>
public sealed class SqliteCheckpointTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task EveryConnection_NewOrFromThePool_CarriesTheSettings()
    {
        // Settings are applied once per physical connection; the pool then hands it out again. Several rounds of
        // connections open side by side, so some are new and some reused.
        for (var round = 0; round < 3; round++)
        {
            var settings = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.WithDbAsync(async db =>
            {
                await db.Database.OpenConnectionAsync();
                await using var pragma = db.Database.GetDbConnection().CreateCommand();
                var values = new List<long>();
                foreach (var name in new[] { "synchronous", "busy_timeout", "secure_delete", "wal_autocheckpoint" })
                {
                    pragma.CommandText = $"PRAGMA {name}";
                    values.Add((long)(await pragma.ExecuteScalarAsync())!);
                }
                await Task.Delay(20); // keep it open so the others need connections of their own
                return string.Join(",", values);
            })));
            Assert.All(settings, s => Assert.Equal("1,10000,1,0", s)); // NORMAL, 10 s, on, never in a commit
        }
    }

    [Fact]
    public async Task CommitsNeverCheckpoint_AndTheDatabaseFileCatchesUpWithTheLogWithinSeconds()
    {
        var autocheckpoint = await app.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await using var pragma = db.Database.GetDbConnection().CreateCommand();
            pragma.CommandText = "PRAGMA wal_autocheckpoint";
            return (long)(await pragma.ExecuteScalarAsync())!;
        });
        Assert.Equal(0, autocheckpoint);

        var api = app.Api();
        var (_, agency, _, token) = await api.CreateRelayAsync();
        for (var i = 0; i < 30; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await api.RegisterAsync(token, $"{ApiClient.Unique("wal")}@example.jp", agency.Id)).Status);
        var written = await app.WithDbAsync(db => db.Registrations.CountAsync());

        // The database file alone (a copy without its -wal file) holds every acknowledged registration once the
        // background checkpoint has run: nothing is left only in the log.
        var file = new SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
        var copy = Path.Combine(app.Directory, "file-only-copy.db");
        await Poll.UntilAsync(() =>
        {
            try
            {
                File.Copy(file, copy, overwrite: true);
                using var connection = new SqliteConnection($"Data Source={copy};Pooling=False;Mode=ReadOnly");
                connection.Open();
                using var count = connection.CreateCommand();
                count.CommandText = "SELECT count(*) FROM registrations";
                return Task.FromResult((long)count.ExecuteScalar()! >= written);
            }
            catch (SqliteException)
            {
                return Task.FromResult(false); // copied in the middle of a checkpoint: look again
            }
        });
    }
}
