using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Credits;

namespace CareerRelay.Web.Features.Redemptions;

/// <summary>Spending and returning slots — shared by the API and the console.</summary>
public sealed class RedemptionActions(CareerRelayDb db, DbWriteGate gate, SlotLedger ledger, Infrastructure.Webhooks.WebhookOutbox webhooks, TimeProvider clock)
{
    /// <summary>Debits one slot at once against one of the company's open jobs; 409 <c>insufficient_slots</c> at zero.</summary>
    public async Task<Result<Redemption>> OpenAsync(string companyId, string? jobId, CancellationToken ct)
    {
        var v = new Validation();
        var job = v.Required("jobId", jobId, 64);
        if (!v.IsValid) return v.ToError();
        var status = await db.Jobs.AsNoTracking().Where(j => j.Id == job && j.CompanyId == companyId).Select(j => j.Status).FirstOrDefaultAsync(ct);
        if (status is null) return ApiError.NotFound("job");
        if (status != "open") return RedemptionErrors.JobClosed;

        var redemption = new Redemption { Id = Ids.New(), CompanyId = companyId, JobId = job, Status = RedemptionStatus.Open, CreatedAt = clock.GetUtcNow().UtcDateTime };
        var debited = await gate.RunAsync(db, async token =>
        {
            if (!await ledger.TryRedeemAsync(db, companyId, redemption.Id, token)) return false;
            db.Redemptions.Add(redemption);
            // The agencies that may fill the job (its partners, or every active agency when it chose none) hear of it.
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            foreach (var agency in await Links.RelayEntries.QueryOfferedAsync(db, companyId, today, token))
                await webhooks.EnqueueAsync(db, "agency", agency.Id, Infrastructure.Webhooks.AgencyEvents.RedemptionOpened, new { redemptionId = redemption.Id, jobId = job }, token);
            return true;
        }, ct);
        return debited ? redemption : RedemptionErrors.InsufficientSlots;
    }

    /// <summary>Cancels an open redemption and returns its slot by a compensating entry; a fulfilled one cannot be cancelled.</summary>
    public Task<Result<Redemption>> CancelAsync(string companyId, string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return gate.RunAsync<Result<Redemption>>(db, async token =>
        {
            // Conditional update: of a cancel racing a fulfilment (or another cancel), one wins and the slot returns at most once.
            var cancelled = await db.Redemptions.Where(r => r.Id == id && r.CompanyId == companyId && r.Status == RedemptionStatus.Open)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RedemptionStatus.Cancelled).SetProperty(r => r.CancelledAt, now), token);
            var current = await db.Redemptions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.CompanyId == companyId, token);
            if (current is null) return ApiError.NotFound("redemption");
            if (current.Status == RedemptionStatus.Fulfilled)
                return RedemptionErrors.FulfilledCannotBeCancelled;
            if (cancelled == 1) await ledger.ReturnRedemptionAsync(db, companyId, id, token);
            return current;
        }, ct);
    }
}
