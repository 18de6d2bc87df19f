using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Credits;

namespace CareerRelay.Web.Features.Registrations;

public sealed record ReferralState(string Id, string Status, string? HoldReason);

/// <summary>The operator's answers to a fraud hold: release it (it qualifies, unless the person bound elsewhere meanwhile) or reverse a referral.</summary>
public sealed class ReferralDecisions(CareerRelayDb db, DbWriteGate gate, QualifyRegistration qualify, SlotLedger ledger, TimeProvider clock)
{
    public Task<Result<ReferralState>> ReleaseAsync(string id, CancellationToken ct) =>
        gate.RunAsync<Result<ReferralState>>(db, async token =>
        {
            var r = await db.Registrations.FirstOrDefaultAsync(x => x.Id == id, token);
            if (r is null) return ApiError.NotFound("referral");
            if (r.Status != RegistrationStatus.Held)
                return new ApiError(409, ProblemCodes.InvalidState, "Not held", $"The referral is {r.Status}; only held referrals can be released.");
            await LeaveHeldAsync(r.CompanyId, token);
            await qualify.QualifyAsync(db, r, token);
            return new ReferralState(r.Id, r.Status, r.HoldReason);
        }, ct);

    public Task<Result<ReferralState>> ReverseAsync(string id, string reason, CancellationToken ct) =>
        gate.RunAsync<Result<ReferralState>>(db, async token =>
        {
            var r = await db.Registrations.FirstOrDefaultAsync(x => x.Id == id, token);
            if (r is null) return ApiError.NotFound("referral");
            if (r.Status == RegistrationStatus.Reversed) return new ReferralState(r.Id, r.Status, r.HoldReason);
            if (r.Status is not (RegistrationStatus.Qualified or RegistrationStatus.Held or RegistrationStatus.Verified))
                return new ApiError(409, ProblemCodes.InvalidState, "Cannot reverse", $"The referral is {r.Status}; it never counted.");

            var wasCounted = r.Status == RegistrationStatus.Qualified;
            if (r.Status == RegistrationStatus.Held) await LeaveHeldAsync(r.CompanyId, token);
            r.Status = RegistrationStatus.Reversed;
            r.ReversedAt = clock.GetUtcNow().UtcDateTime;
            r.ReverseReason = reason;
            if (wasCounted) await ledger.RecordReversedAsync(db, r.CompanyId, r.Id, token);
            return new ReferralState(r.Id, r.Status, r.HoldReason);
        }, ct);

    private Task LeaveHeldAsync(string companyId, CancellationToken ct) => Credits.SummaryRollup.AddHeldAsync(db, companyId, -1, ct);
}
