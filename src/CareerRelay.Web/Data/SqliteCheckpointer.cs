using Microsoft.Data.Sqlite;

namespace CareerRelay.Web.Data;

/// <summary>
/// Copies SQLite's write-ahead log into the database file in the background. By default SQLite does this inside
/// the commit that pushes the log past 1,000 pages, so every few registration batches the one writer stopped to write
/// and fsync the database file while requests queued behind it (issue 9: commits were 40 % of the writer's time).
/// App connections turn that off (<c>wal_autocheckpoint=0</c>) and this service checkpoints once a second on its own
/// connection: a PASSIVE checkpoint never waits for the writer, and the writer never waits for it. The log is reused
/// from the start once a checkpoint has caught up, so it stays small; the last connection to close checkpoints too.
/// </summary>
public sealed class SqliteCheckpointer(string connectionString, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var connection = new SqliteConnection(connectionString);
                    await connection.OpenAsync(stoppingToken);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (SqliteException ex)
                {
                    logger.LogWarning("SQLite checkpoint failed ({Code}); trying again in a second", ex.SqliteErrorCode);
                }
            }
        }
        catch (OperationCanceledException) { }
    }
}
