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
