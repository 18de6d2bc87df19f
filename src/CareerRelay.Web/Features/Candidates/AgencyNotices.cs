using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>What agencies are told when a person chooses them, withdraws or is erased: by mail, the pseudonymous id only.</summary>
public static class AgencyNotices
{
    /// <summary>
    /// The person's data goes to the agencies they chose: a provision record each (APPI art. 29), and each agency hears of its
    /// new candidate at once — the pseudonymous id and a link by mail and webhook, the details behind sign-in.
    /// </summary>
    public static async Task HandOverAsync(CareerRelayDb db, MailOutbox outbox, Infrastructure.Webhooks.WebhookOutbox webhooks, PublicUrls urls,
        IReadOnlyCollection<string> agencyIds, string candidateId, string items, DateTime now, CancellationToken ct)
    {
        foreach (var agencyId in agencyIds)
            db.ProvisionRecords.Add(new ProvisionRecord
            {
                Id = Ids.New(), CandidateId = candidateId, RecipientType = "agency", RecipientId = agencyId,
                Items = items, Basis = ProvisionBasis.Consent, CreatedAt = now,
            });
        foreach (var contact in await db.Agencies.Where(a => agencyIds.Contains(a.Id)).Select(a => a.ContactEmail).ToListAsync(ct))
            outbox.Enqueue(db, null, null, "agency-new-consent", new MailContent(contact, Texts.Get("Mail.NewCandidate.Subject", Lang.Japanese),
                Texts.Format("Mail.NewCandidate.Body", Lang.Japanese, candidateId, urls.To($"/agency/candidates/{candidateId}")), Lang.Japanese), now);
        foreach (var agencyId in agencyIds)
            await webhooks.EnqueueAsync(db, "agency", agencyId, Infrastructure.Webhooks.AgencyEvents.CandidateConsented, new { candidateId }, ct);
    }

    /// <summary>Tells agencies by mail (pseudonymous id only) so they delete or stop using what they hold.</summary>
    public static async Task TellAsync(CareerRelayDb db, MailOutbox outbox, IReadOnlyCollection<string> agencyIds, string candidateId, string textKey, DateTime now, CancellationToken ct)
    {
        var contacts = await db.Agencies.Where(a => agencyIds.Contains(a.Id)).Select(a => a.ContactEmail).ToListAsync(ct);
        foreach (var contact in contacts)
            outbox.Enqueue(db, null, null, textKey == "Mail.Erased" ? "agency-candidate-erased" : "agency-candidate-withdrew",
                new MailContent(contact, Texts.Get($"{textKey}.Subject", Lang.Japanese), Texts.Format($"{textKey}.Body", Lang.Japanese, candidateId), Lang.Japanese), now);
    }
}
