using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Notices;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// The person chooses an agency (again — after withdrawing, or one more offered on their links) under the current notice:
/// a consent row, the provision record of the hand-over, the agency's mail and webhook, in one transaction. False when
/// the agency is not one their links offer. Already consenting: nothing changes.
/// </summary>
public sealed class GiveConsent(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, LookupHasher hasher, MailOutbox outbox,
    Infrastructure.Webhooks.WebhookOutbox webhooks, PublicUrls urls, TimeProvider clock)
{
    public async Task<bool> HandleAsync(string candidateId, string? agencyId, string? ip, CancellationToken ct)
    {
        var opened = await vault.OpenAsync(db, candidateId, ct);
        if (opened is null || string.IsNullOrWhiteSpace(agencyId) || agencyId.Length > 64) return false;
        if (!(await ShowCandidateData.OfferedAsync(db, candidateId, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct)).TryGetValue(agencyId, out var offered)) return false;
        if (await db.Consents.AnyAsync(c => c.CandidateId == candidateId && c.AgencyId == agencyId && c.WithdrawnAt == null, ct)) return true;
        var notice = await NoticeBook.CurrentAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, async token =>
        {
            db.Consents.Add(new Consent
            {
                Id = Ids.New(), CandidateId = candidateId, RegistrationId = offered.RegistrationId, AgencyId = agencyId,
                NoticeVersion = notice.Version, GivenAt = now, IpHash = hasher.Ip(ip),
            });
            await AgencyNotices.HandOverAsync(db, outbox, webhooks, urls, [agencyId], candidateId, VerifyRegistration.ProvidedItems(opened.Profile), now, token);
            return 0;
        }, ct);
        return true;
    }
}
