using CareerRelay.Web.Infrastructure.Problems;
using Npgsql;

namespace CareerRelay.Tests.Infrastructure;

/// <summary>
/// Which failures answer 503 (retry) rather than 500: a database that cannot be reached, as Npgsql really reports it.
/// The whole path under a real outage is exercised by tests/reliability/pg-restart.sh (no 500 while PostgreSQL restarts).
/// </summary>
public sealed class DatabaseUnavailableTests
{
    [Fact]
    public async Task AConnectionRefused_IsAnOutage_EvenWrappedTheWayEfCoreWrapsIt()
    {
        await using var connection = new NpgsqlConnection("Host=127.0.0.1;Port=1;Username=postgres;Timeout=2;Pooling=false");
        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());

        Assert.True(ProblemHandling.IsDatabaseUnavailable(refused));
        Assert.True(ProblemHandling.IsDatabaseUnavailable(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", refused)));
    }

    /// <summary>
    /// A failover as the nodes see it through a multi-host connection string (Target Session Attributes=primary): while
    /// the old primary is dead and the standby not yet promoted, Npgsql finds "no suitable host" — the servers it reaches
    /// are not primaries — or none it can connect to; a server that was just demoted refuses writes (25006). Each is the
    /// database being away for a moment, not a bug. Found by tests/reliability/failover.sh.
    /// </summary>
    [Fact]
    public async Task NoPrimaryDuringAFailover_IsAnOutage()
    {
        var server = new NpgsqlConnectionStringBuilder(Databases.PostgresAdmin);
        // The test server is a primary: asking for a standby finds none, exactly as asking for a primary does mid-failover.
        await using (var noStandby = new NpgsqlConnection($"Host={server.Host}:{server.Port},{server.Host}:{server.Port};Username={server.Username};Database=postgres;Target Session Attributes=standby;Pooling=false;Timeout=5"))
        {
            var none = await Assert.ThrowsAnyAsync<NpgsqlException>(() => noStandby.OpenAsync());
            Assert.True(ProblemHandling.IsDatabaseUnavailable(none), none.Message);
        }
        await using (var bothDead = new NpgsqlConnection("Host=127.0.0.1:1,127.0.0.1:2;Username=postgres;Target Session Attributes=primary;Pooling=false;Timeout=2"))
        {
            var unreachable = await Assert.ThrowsAnyAsync<NpgsqlException>(() => bothDead.OpenAsync());
            Assert.True(ProblemHandling.IsDatabaseUnavailable(unreachable), unreachable.Message);
        }
        await using var connection = new NpgsqlConnection(Databases.PostgresAdmin);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY; CREATE TEMP TABLE demoted (x int)", connection, tx);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => readOnly.ExecuteNonQueryAsync());
        Assert.Equal("25006", refused.SqlState);
        Assert.True(ProblemHandling.IsDatabaseUnavailable(refused));
    }

    [Fact]
    public void BugsAndConflicts_AreNotOutages()
    {
        Assert.False(ProblemHandling.IsDatabaseUnavailable(new InvalidOperationException("a bug")));
        Assert.False(ProblemHandling.IsDatabaseUnavailable(new PostgresException("duplicate key", "ERROR", "ERROR", "23505")));
        Assert.False(ProblemHandling.IsDatabaseUnavailable(new PostgresException("deadlock detected", "ERROR", "ERROR", "40P01")));
        Assert.True(ProblemHandling.IsDatabaseUnavailable(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01")));
    }
}

/// <summary>
/// A connection that dies inside a write transaction, met by the next step as "Transaction is already completed" (an
/// InvalidOperationException, not a network error) — the one 500 of tests/reliability/failover.sh. DbWriteGate sees the
/// broken connection and reports the database away (503), on a real PostgreSQL whose backend is terminated mid-transaction.
/// </summary>
public sealed class BrokenTransactionTests
{
    [Fact]
    public async Task AConnectionKilledMidTransaction_IsAnOutage_NotABug()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.EntityFrameworkServiceCollectionExtensions.AddDbContext<CareerRelay.Web.Data.CareerRelayDb>(services,
            o => o.UseNpgsql(new NpgsqlConnectionStringBuilder(Databases.PostgresAdmin) { Pooling = false }.ToString()));
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        await using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(provider);
        var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<CareerRelay.Web.Data.CareerRelayDb>(scope.ServiceProvider);
        var gate = new CareerRelay.Web.Data.DbWriteGate(Microsoft.Extensions.Options.Options.Create(
            new CareerRelay.Web.Data.DatabaseOptions { Provider = CareerRelay.Web.Data.DatabaseProvider.Postgres }));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => gate.RunAsync(db, async ct =>
        {
            var pid = await db.Database.SqlQuery<int>($"SELECT pg_backend_pid() AS \"Value\"").SingleAsync(ct);
            await using (var admin = new NpgsqlConnection(Databases.PostgresAdmin))
            {
                await admin.OpenAsync(ct);
                await using var kill = new NpgsqlCommand($"SELECT pg_terminate_backend({pid})", admin);
                await kill.ExecuteScalarAsync(ct);
            }
            // One step meets the break and is passed over (as a step that tolerates its own failure would) …
            try { await db.Database.ExecuteSqlRawAsync("SELECT 1", ct); } catch (Exception) { }
            // … and the next meets the aftermath.
            await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
            return 0;
        }, TestContext.Current.CancellationToken));

        Assert.True(ProblemHandling.IsDatabaseUnavailable(error), $"{error.GetType().Name}: {error.Message}");
    }
}
