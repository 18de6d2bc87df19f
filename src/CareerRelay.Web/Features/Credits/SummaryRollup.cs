using CareerRelay.Web.Data;

namespace CareerRelay.Web.Features.Credits;

/// <summary>
/// The company summary's counters on <see cref="CompanyAccount"/> (SPEC §8 P4: the summary reads a row, not the
/// company's history). Each is changed inside the transaction that changes what it counts, and
/// the operator's <c>verify-ledger</c> recomputes every one from the rows. Slots earned are kept by <see cref="SlotLedger"/>.
/// </summary>
public static class SummaryRollup
{
    public static Task AddRegistrationsAsync(CareerRelayDb db, string companyId, int count, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"UPDATE company_accounts SET registration_count = registration_count + {count} WHERE company_id = {companyId}", ct);

    /// <summary>
    /// On PostgreSQL, new registrations are counted as a <see cref="RegistrationCountDelta"/> row for the writer's batch to
    /// insert with its rows, not an update of the account row that every writer of every node would queue on.
    /// </summary>
    public static RegistrationCountDelta RegistrationsAdded(string companyId, int count) => new() { Id = Ids.New(), CompanyId = companyId, Count = count };

    /// <summary>Registrations counted and not yet folded into the account (see <see cref="RegistrationCountDelta"/>).</summary>
    public static IQueryable<RegistrationCountDelta> PendingRegistrations(CareerRelayDb db, string companyId) =>
        db.RegistrationCountDeltas.Where(d => d.CompanyId == companyId);

    public static Task AddVerifiedAsync(CareerRelayDb db, string companyId, int delta, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"UPDATE company_accounts SET verified_count = verified_count + {delta} WHERE company_id = {companyId}", ct);

    /// <summary>+1 when a registration is held, −1 when a hold is released or reversed.</summary>
    public static Task AddHeldAsync(CareerRelayDb db, string companyId, int delta, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"UPDATE company_accounts SET held_count = held_count + {delta} WHERE company_id = {companyId}", ct);

    public static Task AddInvitationsAsync(CareerRelayDb db, string companyId, int count, CancellationToken ct) => count == 0 ? Task.CompletedTask
        : db.Database.ExecuteSqlAsync($"UPDATE company_accounts SET invitation_count = invitation_count + {count} WHERE company_id = {companyId}", ct);
}
