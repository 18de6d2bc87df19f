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

    [Fact]
    public async Task UnderASteadyStreamOfCommits_TheLogIsStartedOver_InsteadOfGrowingWithoutEnd()
    {
        // A PASSIVE checkpoint never catches up with a writer that always has the next commit ready, and SQLite starts
        // the log over only after one has: under P2 load the log grew by 150 MB a second (issue 23). The checkpointer
        // starts it over once it passes its limit (1 MB here, 64 MB in the app).
        var file = Path.Combine(app.Directory, $"steady-{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
        await using (var setup = new SqliteConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = setup.CreateCommand();
            create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL);";
            await create.ExecuteNonQueryAsync();
        }

        // The writer commits through the process's write gate, as the app's writers do.
        var gate = new CareerRelay.Web.Data.DbWriteGate(Microsoft.Extensions.Options.Options.Create(
            new CareerRelay.Web.Data.DatabaseOptions { Provider = CareerRelay.Web.Data.DatabaseProvider.Sqlite }));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var commits = 0L;
        var writer = Task.Factory.StartNew(() =>
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA wal_autocheckpoint=0;";
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO rows (body) VALUES (randomblob(3000))"; // each commit appends at least a 4 KB page
            while (!stop.IsCancellationRequested)
            {
                gate.WhileNoOneWritesAsync(() => Task.FromResult(command.ExecuteNonQuery()), CancellationToken.None).GetAwaiter().GetResult();
                commits++;
            }
        }, TaskCreationOptions.LongRunning);
        var log = 0L; // the log file's largest length while the writer runs (its last connection removes it)
        var restarts = new HashSet<uint>(); // the log header's checkpoint sequence number, one more at each start-over
        while (!writer.IsCompleted)
        {
            await CareerRelay.Web.Data.SqliteCheckpointer.CheckpointAsync(connectionString, gate, CancellationToken.None, logLimitBytes: 1024 * 1024);
            await Task.Delay(200);
            if (LogHeader(file + "-wal") is { } header) (log, _) = (Math.Max(log, header.Length), restarts.Add(header.Sequence));
        }
        await writer;

        var appended = commits * 4096;
        Assert.True(appended > 40 * 1024 * 1024, $"The writer managed only {commits} commits; the test needs more to tell.");
        Assert.True(restarts.Count >= 3, $"The log was started over {restarts.Count - 1} times in 4 s of commits.");
        // Never started over, the log is longer than all the pages committed (each commit appends at least one frame).
        Assert.True(log < appended, $"The log reached {log / 1024 / 1024} MB after {appended / 1024 / 1024} MB of commits.");
    }

    private static (long Length, uint Sequence)? LogHeader(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var header = new byte[32];
            if (stream.Read(header, 0, 32) < 32) return null;
            return (stream.Length, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12, 4)));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
