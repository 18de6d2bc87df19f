using System.Net;
using CareerRelay.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CareerRelay.Tests.Data;

/// <summary>
/// SQLite's write-ahead log is copied into the database file beside the writer, not inside its commits
/// (the single writer used to stop every few batches for a checkpoint; see docs/benchmarks.md, issue 9).
/// </summary>
public sealed class SqliteCheckpointTests(SqliteApp app) : IClassFixture<SqliteApp>
{
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
