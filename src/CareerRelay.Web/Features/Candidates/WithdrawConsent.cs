using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Mail;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// Withdraws every active consent to the agency: from this moment the agency's list and API no longer
/// return the person, and the agency is told by mail (without personal data). False when the person never
/// consented to that agency (404); withdrawing twice answers the same.
/// </summary>
public sealed class WithdrawConsent(CareerRelayDb db, DbWriteGate gate, MailOutbox outbox, Infrastructure.Webhooks.WebhookOutbox webhooks,
    TimeProvider clock)
{
    public async Task<bool> HandleAsync(string candidateId, string? agencyId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(agencyId) || agencyId.Length > 64) return false;
        if (!await db.Consents.AnyAsync(c => c.CandidateId == candidateId && c.AgencyId == agencyId, ct)) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, async token =>
        {
            var changed = await db.Consents.Where(c => c.CandidateId == candidateId && c.AgencyId == agencyId && c.WithdrawnAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.WithdrawnAt, now), token);
            if (changed > 0)
            {
                await AgencyNotices.TellAsync(db, outbox, [agencyId], candidateId, "Mail.Withdrawn", now, token);
                await webhooks.EnqueueAsync(db, "agency", agencyId, Infrastructure.Webhooks.AgencyEvents.CandidateWithdrew, new { candidateId }, token);
            }
            return changed;
        }, ct);
        return true;
    }
}
