using CareerRelay.Web.Data;

namespace CareerRelay.Web.Infrastructure.Idempotency;

/// <summary>
/// Deletes kept answers once they are past use: a key is honoured for 24 hours (<see cref="IdempotencyMiddleware.Retention"/>);
/// rows are removed a day after that, hourly, so the table holds about two days of keys whatever the traffic.
/// </summary>
public sealed class IdempotencySweeper(IServiceScopeFactory scopes, TimeProvider clock, ILogger<IdempotencySweeper> logger)
    : PeriodicJob(TimeSpan.FromHours(1), runAtStart: true, logger)
{
    public static readonly TimeSpan KeptFor = IdempotencyMiddleware.Retention * 2;

    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CareerRelayDb>();
        var gate = scope.ServiceProvider.GetRequiredService<DbWriteGate>();
        var cutoff = clock.GetUtcNow().UtcDateTime - KeptFor;
        return await gate.RunAsync(db, t => db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(t), ct);
    }
}
