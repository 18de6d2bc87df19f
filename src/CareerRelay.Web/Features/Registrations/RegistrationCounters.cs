using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Credits;

namespace CareerRelay.Web.Features.Registrations;

/// <summary>
/// The one place a registration's steps reach its company's counters (<see cref="CounterChange"/>): the summary's rollup
/// and the slot ledger, inside the caller's write transaction. Registrations tell Credits what happened; Credits never
/// reads a registration.
/// </summary>
public sealed class RegistrationCounters(SlotLedger ledger, Infrastructure.Telemetry.RelayMetrics metrics)
{
    /// <summary>
    /// Saves the registration (and whatever the step added beside it) first — a racing step on the same row fails here, before
    /// any counter moved, and is retried by <see cref="DbWriteGate"/> — then moves the company's counters, so the account row
    /// (the one row every confirmation for this company shares) is locked only from here to the commit, then saves what the
    /// ledger booked.
    /// </summary>
    public async Task ApplyAsync(CareerRelayDb db, Registration registration, CounterChange change, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        var companyId = registration.CompanyId;
        if (change.Verified != 0) await SummaryRollup.AddVerifiedAsync(db, companyId, change.Verified, ct);
        if (change.Held != 0) await SummaryRollup.AddHeldAsync(db, companyId, change.Held, ct);
        if (change.Qualified > 0) await ledger.RecordQualifiedAsync(db, companyId, registration.Id, ct);
        if (change.Qualified < 0) await ledger.RecordReversedAsync(db, companyId, registration.Id, ct);
        await db.SaveChangesAsync(ct);
        db.OnCommitted(() =>
        {
            if (change.Verified > 0) metrics.Registrations("verified");
            if (change.Held > 0) metrics.Registrations("held");
            if (change.Qualified > 0) metrics.Registrations("qualified");
            if (change.Qualified < 0) metrics.Registrations("reversed");
        });
    }

    /// <summary>New registrations written by <see cref="RegistrationWriter"/>'s batch (rows inserted directly, not tracked).</summary>
    public static Task AddedAsync(CareerRelayDb db, string companyId, int count, CancellationToken ct) =>
        SummaryRollup.AddRegistrationsAsync(db, companyId, count, ct);

    /// <summary><see cref="AddedAsync"/> on PostgreSQL: a row for the writer's batch to insert with the registrations.</summary>
    public static RegistrationCountDelta AddedOnPostgres(string companyId, int count) => SummaryRollup.RegistrationsAdded(companyId, count);
}
