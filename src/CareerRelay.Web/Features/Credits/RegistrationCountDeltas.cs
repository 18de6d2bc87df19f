using CareerRelay.Web.Data;

namespace CareerRelay.Web.Features.Credits;

/// <summary>
/// New registrations counted for a company but not yet added to its <see cref="CompanyAccount.RegistrationCount"/>
/// (PostgreSQL). The registration writers of every node commit side by side; had each batch added to the account row, they
/// would all queue on that one row's lock from their update to their commit — the disk's flush included — for as long as
/// one company draws the registrations (issue 23: P2 on PostgreSQL went from 0.878 to 0.93 of the reference without it).
/// A batch inserts a row here instead, in the transaction of its registrations, and <see cref="RegistrationCountFolder"/>
/// adds the rows to the account every few seconds. Readers add what is still here (<see cref="SummaryRollup.PendingRegistrations"/>), so the count is
/// exact at every moment.
/// </summary>
public sealed class RegistrationCountDelta
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public int Count { get; init; }
}

/// <summary>
/// Folds <see cref="RegistrationCountDelta"/> rows into the company accounts, in one statement: the rows it deletes are
/// the rows it adds, so two nodes folding at once never count a row twice (the second waits for the first's deletes and
/// then finds them gone). Runs on PostgreSQL only; on SQLite the one writer adds to the account row directly. Nothing
/// needs folding on the way out: the rows are durable and counted where they are.
/// </summary>
public sealed class RegistrationCountFolder(IServiceScopeFactory scopes, DbWriteGate gate, ILogger<RegistrationCountFolder> logger)
    : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (gate.IsSqlite) return;
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await FoldAsync(stoppingToken); }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Nothing is lost: the rows stay and readers count them; the next tick tries again.
                    logger.LogWarning(ex, "Could not fold the registration counts; they stay pending until the next try");
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Adds every pending row to its company's account and removes it; returns how many accounts it added to.</summary>
    public async Task<int> FoldAsync(CancellationToken ct)
    {
        if (gate.IsSqlite) return 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        return await gate.RunAsync(db, token => db.Database.ExecuteSqlRawAsync("""
            WITH folded AS (DELETE FROM registration_count_deltas RETURNING company_id, count),
                 totals AS (SELECT company_id, sum(count) AS added FROM folded GROUP BY company_id)
            UPDATE company_accounts AS a SET registration_count = a.registration_count + t.added
            FROM totals AS t WHERE a.company_id = t.company_id
            """, token), ct);
    }
}
