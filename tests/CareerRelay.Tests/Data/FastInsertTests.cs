using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure;
using CareerRelay.Web.Infrastructure.Mail;
using Microsoft.EntityFrameworkCore;

namespace CareerRelay.Tests.Data;

/// <summary>
/// The registration writer's rows go in through <see cref="FastInsert"/>, everything else through EF. Both must store
/// a value the same way, or EF's own comparisons (a lease that ran out, mail that is due) would silently miss rows.
/// </summary>
public abstract class FastInsertTests(CareerRelayApp app)
{
    [Fact]
    public async Task ARowWrittenByFastInsert_IsStoredExactlyAsEfStoresIt()
    {
        var at = new DateTime(2026, 11, 22, 9, 30, 15, 123, DateTimeKind.Utc).AddTicks(4567);
        OutboxMail Row(string id) => new()
        {
            Id = id, CandidateId = null, Kind = "テスト", Payload = [1, 2, 3, 0, 255], Status = OutboxStatus.Pending,
            Attempts = 3, NextAttemptAt = at, LockedUntil = at.AddMinutes(2), CreatedAt = at.Date, SentAt = null, LastError = "改行\nを含む",
        };
        var (viaEf, viaFast) = (Ids.New(), Ids.New());

        await app.WithDbAsync(async db =>
        {
            db.OutboxMails.Add(Row(viaEf));
            return await db.SaveChangesAsync();
        });
        await app.WithDbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await FastInsert.InsertAsync(db, [Row(viaFast)], CancellationToken.None);
            await tx.CommitAsync();
            return 0;
        });

        var stored = await app.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            // Each column as the database holds it: its type and its text.
            var columns = string.Join(", ", new[] { "candidate_id", "kind", "payload", "status", "attempts", "next_attempt_at", "locked_until", "created_at", "sent_at", "last_error" }
                .Select(c => app.Provider == Provider.Sqlite ? $"typeof({c}) || ':' || coalesce(quote({c}), '')" : $"pg_typeof({c})::text || ':' || coalesce({c}::text, '')"));
            command.CommandText = $"SELECT id, {columns} FROM outbox_mails WHERE id IN ('{viaEf}', '{viaFast}')";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new Dictionary<string, string[]>();
            while (await reader.ReadAsync())
                rows[reader.GetString(0)] = Enumerable.Range(1, reader.FieldCount - 1).Select(reader.GetString).ToArray();
            return rows;
        });
        Assert.Equal(stored[viaEf], stored[viaFast]);

        // And EF's own comparison finds both by time.
        Assert.Equal(2, await app.WithDbAsync(db => db.OutboxMails.CountAsync(m => (m.Id == viaEf || m.Id == viaFast) && m.NextAttemptAt == at && m.LockedUntil > at)));
    }

    [Fact]
    public async Task ADuplicateKey_FailsAsAUniqueViolation_SoTheWriterRetriesDraftByDraft()
    {
        var id = Ids.New();
        OutboxMail Row() => new() { Id = id, Kind = "test", Payload = [1], Status = OutboxStatus.Pending, NextAttemptAt = new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc), CreatedAt = new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc) };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.WithDbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await FastInsert.InsertAsync(db, [Row(), Row()], CancellationToken.None);
            return 0;
        }));
        Assert.True(DbWriteGate.IsUniqueViolation(error), error.ToString());
        Assert.False(await app.WithDbAsync(db => db.OutboxMails.AnyAsync(m => m.Id == id))); // nothing half-written
    }

    [Fact]
    public async Task StatementsGivenToFollowTheRows_RunAfterThemInTheSameTransaction_OnPostgres_AndAreRefusedOnSqlite()
    {
        var id = Ids.New();
        var at = new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);
        OutboxMail Row() => new() { Id = id, Kind = "test", Payload = [1], Status = OutboxStatus.Pending, NextAttemptAt = at, CreatedAt = at };
        Npgsql.NpgsqlBatchCommand[] Then() => [new("UPDATE outbox_mails SET attempts = attempts + 7 WHERE id = $1") { Parameters = { new Npgsql.NpgsqlParameter<string> { TypedValue = id } } }];

        if (app.Provider == Provider.Sqlite)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => app.WithDbAsync(async db =>
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                await FastInsert.InsertAsync(db, [Row()], CancellationToken.None, Then());
                return 0;
            }));
            Assert.False(await app.WithDbAsync(db => db.OutboxMails.AnyAsync(m => m.Id == id)));
            return;
        }
        await app.WithDbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await FastInsert.InsertAsync(db, [Row()], CancellationToken.None, Then());
            await tx.CommitAsync();
            return 0;
        });
        Assert.Equal(7, await app.WithDbAsync(db => db.OutboxMails.Where(m => m.Id == id).Select(m => m.Attempts).SingleAsync()));

        // A batch that fails on its rows runs none of what follows them.
        await Assert.ThrowsAnyAsync<Exception>(() => app.WithDbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await FastInsert.InsertAsync(db, [Row()], CancellationToken.None, Then());
            return 0;
        }));
        Assert.Equal(7, await app.WithDbAsync(db => db.OutboxMails.Where(m => m.Id == id).Select(m => m.Attempts).SingleAsync()));
    }

    /// <summary>
    /// The registration writer's batch on PostgreSQL opens no transaction of its own (<see cref="DbWriteGate.RunAsOneBatchAsync"/>):
    /// the one round trip is the transaction. It must still be all or nothing, and what waits for the commit must wait.
    /// </summary>
    [Fact]
    public async Task AsOneBatch_ABatchThatFailsWritesNothing_AndEffectsWaitForTheCommit()
    {
        var (first, twice) = (Ids.New(), Ids.New());
        var at = new DateTime(2026, 12, 7, 0, 0, 0, DateTimeKind.Utc);
        OutboxMail Row(string id) => new() { Id = id, Kind = "test", Payload = [1], Status = OutboxStatus.Pending, NextAttemptAt = at, CreatedAt = at };
        var gate = app.Service<DbWriteGate>();
        var effects = 0;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.WithDbAsync(db => gate.RunAsOneBatchAsync(db, async ct =>
        {
            db.OnCommitted(() => effects++);
            await FastInsert.InsertAsync(db, [Row(first), Row(twice), Row(twice)], ct);
            return 0;
        }, CancellationToken.None)));
        Assert.True(DbWriteGate.IsUniqueViolation(error), error.ToString());
        Assert.False(await app.WithDbAsync(db => db.OutboxMails.AnyAsync(m => m.Id == first))); // the row before the failing one too
        Assert.Equal(0, effects);

        await app.WithDbAsync(db => gate.RunAsOneBatchAsync(db, async ct =>
        {
            db.OnCommitted(() => effects++);
            Assert.Equal(0, effects); // not yet: nothing is written until the batch is
            await FastInsert.InsertAsync(db, [Row(first), Row(twice)], ct);
            Assert.Equal(0, effects);
            return 0;
        }, CancellationToken.None));
        Assert.Equal(1, effects);
        Assert.Equal(2, await app.WithDbAsync(db => db.OutboxMails.CountAsync(m => m.Id == first || m.Id == twice)));

        if (app.Provider == Provider.Sqlite) return; // there it is a transaction like any other
        // Changes tracked for SaveChanges would be a second transaction: refused, and the batch's reads only wasted.
        var lone = Ids.New();
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.WithDbAsync(db => gate.RunAsOneBatchAsync(db, ct =>
        {
            db.OutboxMails.Add(Row(lone));
            return Task.FromResult(0);
        }, CancellationToken.None)));
        Assert.False(await app.WithDbAsync(db => db.OutboxMails.AnyAsync(m => m.Id == lone)));
    }

    /// <summary>
    /// A writer keeps its PostgreSQL statements — parameters and their lists of values — from batch to batch. Each batch
    /// must write its own rows only: none left over from the batch before, none lost after one that failed.
    /// </summary>
    [Fact]
    public async Task StatementsKeptFromBatchToBatch_WriteEachBatchsOwnRowsOnly()
    {
        var at = new DateTime(2026, 12, 7, 0, 0, 0, DateTimeKind.Utc);
        OutboxMail Row(string id, int attempts) => new() { Id = id, Kind = "kept", Payload = [(byte)attempts], Status = OutboxStatus.Pending, Attempts = attempts, NextAttemptAt = at.AddMinutes(attempts), CreatedAt = at };
        var statements = new FastInsert.PostgresStatements();
        var gate = app.Service<DbWriteGate>();
        Task WriteAsync(params OutboxMail[] rows) => app.WithDbAsync(db => gate.RunAsOneBatchAsync(db, async ct =>
        {
            await FastInsert.InsertAsync(db, rows, ct, statements: statements);
            return 0;
        }, CancellationToken.None));
        var ids = Enumerable.Range(0, 6).Select(_ => Ids.New()).ToArray();

        await WriteAsync(Row(ids[0], 1), Row(ids[1], 2), Row(ids[2], 3));
        await WriteAsync(Row(ids[3], 4));
        Assert.True(DbWriteGate.IsUniqueViolation(await Assert.ThrowsAnyAsync<Exception>(() => WriteAsync(Row(ids[4], 5), Row(ids[0], 6)))));
        await WriteAsync(Row(ids[5], 7));

        var stored = await app.WithDbAsync(db => db.OutboxMails.Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.Attempts, m.NextAttemptAt, m.Payload }).ToListAsync());
        Assert.Equal([(ids[0], 1), (ids[1], 2), (ids[2], 3), (ids[3], 4), (ids[5], 7)], stored.OrderBy(m => m.Attempts).Select(m => (m.Id, m.Attempts)));
        Assert.All(stored, m => Assert.Equal((at.AddMinutes(m.Attempts), (byte)m.Attempts), (m.NextAttemptAt, m.Payload.Single())));
    }
}

/// <summary>FastInsert writes a time's text by hand on SQLite; it must be the text Microsoft.Data.Sqlite (and so EF) writes.</summary>
public sealed class FastInsertTimeTextTests
{
    [Fact]
    public void ATimesText_IsTheCustomFormatsText_ForEveryKindOfFraction()
    {
        var random = new Random(23);
        var times = new List<DateTime>
        {
            DateTime.MinValue, DateTime.MaxValue, new(2026, 12, 6, 0, 0, 0), new(2026, 12, 6, 23, 59, 59), new DateTime(2026, 2, 28, 12, 0, 0).AddTicks(1),
            new DateTime(2024, 2, 29, 9, 5, 7).AddTicks(1_000_000), new DateTime(2026, 11, 22, 9, 30, 15).AddTicks(1_234_560), new DateTime(999, 1, 1).AddTicks(9_999_999),
        };
        for (var i = 0; i < 2_000; i++) times.Add(new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks)));
        Span<byte> utf8 = stackalloc byte[27];
        foreach (var time in times)
            Assert.Equal(time.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
                System.Text.Encoding.UTF8.GetString(utf8[..FastInsert.FormatTime(time, utf8)]));
    }
}

public sealed class FastInsertTestsOnSqlite(SqliteApp app) : FastInsertTests(app), IClassFixture<SqliteApp>;
public sealed class FastInsertTestsOnPostgres(PostgresApp app) : FastInsertTests(app), IClassFixture<PostgresApp>;
