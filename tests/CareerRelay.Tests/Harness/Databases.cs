using Npgsql;

namespace CareerRelay.Tests.Harness;

public enum Provider { Sqlite, Postgres }

/// <summary>
/// A fresh, empty database per test fixture: a SQLite file in a temp folder, or a new database on the
/// PostgreSQL server named by CAREERRELAY_TEST_POSTGRES (default: the throwaway server .ci/run starts).
/// When PostgreSQL is unreachable the tests that need it fail — they never skip.
/// </summary>
public static class Databases
{
    public static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("CAREERRELAY_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres;Timeout=5";

    public static string NewTempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "careerrelay-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static async Task<string> CreateAsync(Provider provider, string directory)
    {
        if (provider == Provider.Sqlite) return $"Data Source={Path.Combine(directory, "test.db")};Pooling=True";

        var name = "cr_test_" + Guid.NewGuid().ToString("N")[..16];
        await using var admin = new NpgsqlConnection(PostgresAdmin);
        try { await admin.OpenAsync(); }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"PostgreSQL tests need a server: set CAREERRELAY_TEST_POSTGRES or start one as .ci/run does ({ex.Message}).", ex);
        }
        await using (var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", admin)) await cmd.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name, MaxPoolSize = 60, Timeout = 15 }.ToString();
    }

    public static async Task DropAsync(Provider provider, string connectionString)
    {
        if (provider != Provider.Postgres) return;
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(PostgresAdmin);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }
}
