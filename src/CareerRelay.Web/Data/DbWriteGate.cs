using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CareerRelay.Web.Data;

/// <summary>
/// Runs a unit of work in one write transaction. SQLite allows one writer at a time, so writers queue
/// on an in-process gate instead of spinning on SQLITE_BUSY; PostgreSQL runs them concurrently and a
/// deadlock or serialization failure — or, on either, a row another writer changed first (a concurrency token) — is
/// retried from a clean change tracker.
/// </summary>
public sealed class DbWriteGate(IOptions<DatabaseOptions> options)
{
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);
    private readonly bool _isSqlite = options.Value.Provider == DatabaseProvider.Sqlite;

    public bool IsSqlite => _isSqlite;

    public Task<T> RunAsync<T>(CareerRelayDb db, Func<CancellationToken, Task<T>> work, CancellationToken ct) =>
        RunCoreAsync(db, work, ownTransaction: true, ct);

    /// <summary>
    /// As <see cref="RunAsync"/>, for work whose writes all go in one round trip (one <see cref="NpgsqlBatch"/>, as
    /// <see cref="FastInsert"/> sends them) after reads that take no locks. On PostgreSQL it opens no transaction of its
    /// own: the server runs a batch's statements, up to the one Sync that ends it, as one implicit transaction — all of
    /// them or none — so the COMMIT's round trip is saved (the registration writer's batch: three trips became two, as
    /// the reference's in issue 23). The reads before it see what they would inside a READ COMMITTED transaction: each
    /// statement its own snapshot. <see cref="CareerRelayDb.OnCommitted"/> still waits for the batch; changes tracked for
    /// <c>SaveChanges</c> are refused (they would be a second transaction). On SQLite this is <see cref="RunAsync"/>.
    /// </summary>
    public Task<T> RunAsOneBatchAsync<T>(CareerRelayDb db, Func<CancellationToken, Task<T>> work, CancellationToken ct) =>
        RunCoreAsync(db, work, ownTransaction: _isSqlite, ct);

    private async Task<T> RunCoreAsync<T>(CareerRelayDb db, Func<CancellationToken, Task<T>> work, bool ownTransaction, CancellationToken ct)
    {
        if (_isSqlite) await _sqliteWriter.WaitAsync(ct);
        // BEGIN opens the connection; a batch without one needs it open for its reads and its write.
        var opened = !ownTransaction && db.Database.GetDbConnection().State != System.Data.ConnectionState.Open;
        try
        {
            if (opened) await db.Database.OpenConnectionAsync(ct);
            for (var attempt = 1; ; attempt++)
            {
                await using var tx = ownTransaction ? await db.Database.BeginTransactionAsync(ct) : null;
                db.ForgetCommitted();
                db.InOneBatch = !ownTransaction;
                try
                {
                    var result = await work(ct);
                    if (tx is not null)
                    {
                        await db.SaveChangesAsync(ct);
                        await tx.CommitAsync(ct);
                    }
                    else if (db.ChangeTracker.HasChanges())
                        throw new InvalidOperationException("Work run as one batch tracked changes for SaveChanges, which would commit on their own.");
                    db.InOneBatch = false;
                    db.RunCommitted();
                    return result;
                }
                catch (Exception ex) when (attempt < 5 && IsTransient(ex))
                {
                    if (tx is not null) await tx.RollbackAsync(CancellationToken.None); // a failed batch the server rolled back itself
                    db.ChangeTracker.Clear();
                    await Task.Delay(Random.Shared.Next(5, 20 * attempt), ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && !Infrastructure.Problems.ProblemHandling.IsDatabaseUnavailable(ex) && ConnectionBroke(db))
                {
                    // The connection died inside the transaction and a later step met the aftermath ("Transaction is already
                    // completed") rather than the break itself: it is the database going away, not a bug.
                    db.ChangeTracker.Clear();
                    throw new DatabaseUnavailableException(ex);
                }
                catch
                {
                    db.ChangeTracker.Clear();
                    throw;
                }
            }
        }
        finally
        {
            db.InOneBatch = false;
            if (opened) await db.Database.CloseConnectionAsync();
            if (_isSqlite) _sqliteWriter.Release();
        }
    }

    private static bool ConnectionBroke(CareerRelayDb db) =>
        db.Database.GetDbConnection() is NpgsqlConnection connection && connection.FullState.HasFlag(System.Data.ConnectionState.Broken);

    /// <summary>A deadlock, a serialization failure, or a row another writer changed first (a concurrency token): worth a clean retry.</summary>
    private static bool IsTransient(Exception ex) =>
        ex is DbUpdateConcurrencyException
        || (ex as PostgresException ?? ex.InnerException as PostgresException)?.SqlState is "40001" or "40P01";

    /// <summary>
    /// Runs <paramref name="work"/> while no write transaction of this process is open (SQLite; elsewhere it just runs):
    /// for what must not wait behind a writer that always has the next batch ready — the checkpointer's RESTART.
    /// </summary>
    public async Task<T> WhileNoOneWritesAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (!_isSqlite) return await work();
        await _sqliteWriter.WaitAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            _sqliteWriter.Release();
        }
    }

    public static bool IsUniqueViolation(Exception ex) => ex switch
    {
        DbUpdateException { InnerException: PostgresException { SqlState: "23505" } } => true,
        DbUpdateException { InnerException: Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 2067 or 1555 } } => true,
        PostgresException { SqlState: "23505" } => true,
        Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 2067 or 1555 } => true,
        _ => false,
    };
}

/// <summary>The database connection broke in the middle of a write transaction (answered 503 with Retry-After).</summary>
public sealed class DatabaseUnavailableException(Exception inner) : Exception("The database connection broke during the transaction.", inner);
