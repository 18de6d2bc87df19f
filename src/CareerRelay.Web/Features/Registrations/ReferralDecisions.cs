using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Operator;

namespace CareerRelay.Web.Features.Registrations;

public sealed record ReferralState(string Id, string Status, string? HoldReason);

/// <summary>Who acted on the review desk: the operator key's id and its name (kept as it was, for the trail).</summary>
public sealed record Reviewer(string Id, string Name);

/// <summary>
/// The operator's answers to a fraud hold: release it (it qualifies, unless the person bound elsewhere meanwhile) or reverse a
/// referral. Each decision writes its review action — who, when, the signal that had fired, the reason — in the same transaction.
/// </summary>
public sealed class ReferralDecisions(CareerRelayDb db, DbWriteGate gate, QualifyRegistration qualify, RegistrationCounters counters, TimeProvider clock)
{
    public Task<Result<ReferralState>> ReleaseAsync(string id, Reviewer reviewer, CancellationToken ct) =>
        gate.RunAsync<Result<ReferralState>>(db, async token =>
        {
            var r = await db.Registrations.FirstOrDefaultAsync(x => x.Id == id, token);
            if (r is null) return ApiError.NotFound("referral");
            if (r.Status != RegistrationStatus.Held)
                return RegistrationErrors.NotHeld(r.Status);
            var signal = r.HoldReason;
            await counters.ApplyAsync(db, r, await qualify.ReleaseAsync(db, r, token), token);
            await RecordAsync(r.Id, ReviewActions.Release, reviewer, null, signal, token);
            return new ReferralState(r.Id, r.Status, r.HoldReason);
        }, ct);

    public Task<Result<ReferralState>> ReverseAsync(string id, string reason, Reviewer reviewer, CancellationToken ct) =>
        gate.RunAsync<Result<ReferralState>>(db, async token =>
        {
            var r = await db.Registrations.FirstOrDefaultAsync(x => x.Id == id, token);
            if (r is null) return ApiError.NotFound("referral");
            if (r.Status == RegistrationStatus.Reversed) return new ReferralState(r.Id, r.Status, r.HoldReason);
            if (r.Status is not (RegistrationStatus.Qualified or RegistrationStatus.Held or RegistrationStatus.Verified))
                return RegistrationErrors.CannotReverse(r.Status);

            var signal = r.HoldReason;
            await counters.ApplyAsync(db, r, r.Reverse(reason, clock.GetUtcNow().UtcDateTime), token);
            await RecordAsync(r.Id, ReviewActions.Reverse, reviewer, reason, signal, token);
            return new ReferralState(r.Id, r.Status, r.HoldReason);
        }, ct);

    private async Task RecordAsync(string registrationId, string action, Reviewer reviewer, string? note, string? signal, CancellationToken ct)
    {
        db.ReviewActions.Add(new ReviewAction
        {
            Id = Ids.New(), SubjectType = ReviewSubjects.Referral, SubjectId = registrationId, Action = action, ActorId = reviewer.Id,
            ActorName = reviewer.Name, Note = note, Signal = signal, CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
    }
}
