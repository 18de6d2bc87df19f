using CareerRelay.Web.Data;

namespace CareerRelay.Web.Features.Registrations;

public sealed record ReferralState(string Id, string Status, string? HoldReason);

/// <summary>The operator's answers to a fraud hold: release it (it qualifies, unless the person bound elsewhere meanwhile) or reverse a referral.</summary>
public sealed class ReferralDecisions(CareerRelayDb db, DbWriteGate gate, QualifyRegistration qualify, RegistrationCounters counters, TimeProvider clock)
{
    public Task<Result<ReferralState>> ReleaseAsync(string id, CancellationToken ct) =>
        gate.RunAsync<Result<ReferralState>>(db, async token =>
        {
            var r = await db.Registrations.FirstOrDefaultAsync(x => x.Id == id, token);
            if (r is null) return ApiError.NotFound("referral");
            if (r.Status != RegistrationStatus.Held)
                return RegistrationErrors.NotHeld(r.Status);
            await counters.ApplyAsync(db, r, await qualify.ReleaseAsync(db, r, token), token);
            return new ReferralState(r.Id, r.Status, r.HoldReason);
        }, ct);

    public Task<Result<ReferralState>> ReverseAsync(string id, string reason, CancellationToken ct) =>
        gate.RunAsync<Result<ReferralState>>(db, async token =>
        {
            var r = await db.Registrations.FirstOrDefaultAsync(x => x.Id == id, token);
            if (r is null) return ApiError.NotFound("referral");
            if (r.Status == RegistrationStatus.Reversed) return new ReferralState(r.Id, r.Status, r.HoldReason);
            if (r.Status is not (RegistrationStatus.Qualified or RegistrationStatus.Held or RegistrationStatus.Verified))
                return RegistrationErrors.CannotReverse(r.Status);

            await counters.ApplyAsync(db, r, r.Reverse(reason, clock.GetUtcNow().UtcDateTime), token);
            return new ReferralState(r.Id, r.Status, r.HoldReason);
        }, ct);
}
