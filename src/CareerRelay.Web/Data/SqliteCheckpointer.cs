using Microsoft.Data.Sqlite;

namespace CareerRelay.Web.Data;

/// <summary>
/// Copies SQLite's write-ahead log into the database file in the background. By default SQLite does this inside
/// the commit that pushes the log past 1,000 pages, so every few registration batches the one writer stopped to write
/// and fsync the database file while requests queued behind it (issue 9: commits were 40 % of the writer's time).
/// App connections turn that off (<c>wal_autocheckpoint=0</c>) and this service checkpoints once a second on its own
/// connection: a PASSIVE checkpoint never waits for the writer, and the writer never waits for it.
/// <para>
/// The log is reused from its start only when a checkpoint has copied all of it before the next commit. Under a steady
/// stream of batches a PASSIVE checkpoint never catches up, and the log grew without end (1.5 GB in 10 s of P2 load,
/// issue 23), every commit writing into new blocks that ext4 first fills with zeroes — 15 % of the node's CPU. So once
/// the log holds more than <see cref="LogLimitBytes"/>, the checkpoint is a RESTART: it holds the writers back (at
/// <see cref="DbWriteGate"/>) for the few frames the PASSIVE pass left, and the next commit starts the log over, into
/// blocks the file already has.
/// </para>
/// </summary>
public sealed class SqliteCheckpointer(string connectionString, DbWriteGate gate, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Above this the log is started over (RESTART). The file keeps its length (at most this plus a second of commits),
    /// so the next round of commits overwrites blocks it already has.
    /// </summary>
    public const long LogLimitBytes = 64L * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CheckpointAsync(connectionString, gate, stoppingToken);
                }
                catch (SqliteException ex)
                {
                    logger.LogWarning("SQLite checkpoint failed ({Code}); trying again in a second", ex.SqliteErrorCode);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>One pass: PASSIVE, then RESTART if the log is still over <paramref name="logLimitBytes"/>. Returns the log's frames after it.</summary>
    public static async Task<long> CheckpointAsync(string connectionString, DbWriteGate gate, CancellationToken ct, long logLimitBytes = LogLimitBytes)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        var frames = await RunAsync(command, "PASSIVE", ct);
        if (frames == 0) return 0;
        command.CommandText = "PRAGMA page_size;";
        var frameBytes = (long)(await command.ExecuteScalarAsync(ct))! + 24; // a frame is a page and its 24-byte header
        if (frames * frameBytes <= logLimitBytes) return frames;
        // RESTART needs SQLite's writer lock, which a writer with the next batch always ready would never leave it: it
        // waits its turn at the process's write gate instead, so the writers wait for it (briefly: the PASSIVE pass has
        // copied most of the log). Then it waits for readers of the old log; if one holds on past the timeout, the
        // next pass tries again.
        return await gate.WhileNoOneWritesAsync(async () =>
        {
            command.CommandText = "PRAGMA busy_timeout=2000;";
            await command.ExecuteNonQueryAsync(ct);
            return await RunAsync(command, "RESTART", ct);
        }, ct);
    }

    /// <summary>The checkpoint's answer is (busy, frames in the log, frames checkpointed); the log's frames.</summary>
    private static async Task<long> RunAsync(SqliteCommand command, string mode, CancellationToken ct)
    {
        command.CommandText = $"PRAGMA wal_checkpoint({mode});";
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? reader.GetInt64(1) : 0;
    }
}
