using System.Data.Common;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Data;

/// <summary>
/// Applies the numbered SQL scripts of the configured provider (embedded from Data/Migrations/{Provider})
/// in order, once each, recording them in <c>schema_migrations</c>. A test builds a database from these
/// scripts and compares it with the EF model, so a model change without a script fails the build.
/// </summary>
public sealed class SchemaMigrator(IServiceScopeFactory scopes, IOptions<DatabaseOptions> options, TimeProvider clock, ILogger<SchemaMigrator> logger)
{
    public static IReadOnlyList<(string Version, string Sql)> Scripts(DatabaseProvider provider)
    {
        var prefix = $"migrations/{provider}/";
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (Path.GetFileNameWithoutExtension(n), Read(assembly, n)))
            .ToList();
    }

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        var provider = options.Value.Provider;
        var applied = new List<string>();
        try
        {
            if (provider == DatabaseProvider.Sqlite) await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", ct);

            await using (var tx = await connection.BeginTransactionAsync(ct))
            {
                await LockAsync(connection, tx, provider, ct);
                await ExecuteAsync(connection, tx,
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(100) PRIMARY KEY, applied_at varchar(40) NOT NULL);", ct);
                await tx.CommitAsync(ct);
            }
            var done = await AppliedAsync(connection, null, ct);

            foreach (var (version, sql) in Scripts(provider).Where(s => !done.Contains(s.Version)))
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                await LockAsync(connection, tx, provider, ct);
                // Another node may have applied it while this one waited for the lock.
                if ((await AppliedAsync(connection, tx, ct)).Contains(version)) continue;
                await ExecuteAsync(connection, tx, sql, ct);
                await using (var record = connection.CreateCommand())
                {
                    record.Transaction = tx;
                    record.CommandText = "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @t)";
                    AddParameter(record, "@v", version);
                    AddParameter(record, "@t", clock.GetUtcNow().ToString("O"));
                    await record.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                applied.Add(version);
                logger.LogInformation("Applied schema migration {Version} ({Provider})", version, provider);
            }
        }
        finally
        {
            await connection.CloseAsync();
        }
        return applied;
    }

    /// <summary>
    /// One migrator at a time across nodes: on PostgreSQL a lock held until the transaction ends. A transaction-scoped lock,
    /// not a session's, because behind PgBouncer in transaction pooling a session's statements may run on different server
    /// connections — a session lock could be taken on one and "released" on another, and never released at all.
    /// </summary>
    private static Task LockAsync(DbConnection connection, DbTransaction tx, DatabaseProvider provider, CancellationToken ct) =>
        provider == DatabaseProvider.Postgres ? ExecuteAsync(connection, tx, "SELECT pg_advisory_xact_lock(727274);", ct) : Task.CompletedTask;

    private static async Task<HashSet<string>> AppliedAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        var done = new HashSet<string>();
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT version FROM schema_migrations";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) done.Add(reader.GetString(0));
        return done;
    }

    /// <summary>Scripts not yet applied; used at start on PostgreSQL to refuse running against an old schema.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        try
        {
            var done = new HashSet<string>();
            try
            {
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = "SELECT version FROM schema_migrations";
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) done.Add(reader.GetString(0));
            }
            catch (DbException) { /* no table yet: everything is pending */ }
            return Scripts(options.Value.Provider).Select(s => s.Version).Where(v => !done.Contains(v)).ToList();
        }
        finally { await connection.CloseAsync(); }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
