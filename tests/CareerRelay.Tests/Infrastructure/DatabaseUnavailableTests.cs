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

    [Fact]
    public void BugsAndConflicts_AreNotOutages()
    {
        Assert.False(ProblemHandling.IsDatabaseUnavailable(new InvalidOperationException("a bug")));
        Assert.False(ProblemHandling.IsDatabaseUnavailable(new PostgresException("duplicate key", "ERROR", "ERROR", "23505")));
        Assert.False(ProblemHandling.IsDatabaseUnavailable(new PostgresException("deadlock detected", "ERROR", "ERROR", "40P01")));
        Assert.True(ProblemHandling.IsDatabaseUnavailable(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01")));
    }
}
