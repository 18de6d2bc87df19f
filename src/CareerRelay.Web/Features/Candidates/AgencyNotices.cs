using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>What agencies are told when a person withdraws or is erased: by mail, the pseudonymous id only.</summary>
public static class AgencyNotices
{
    /// <summary>Tells agencies by mail (pseudonymous id only) so they delete or stop using what they hold.</summary>
    public static async Task TellAsync(CareerRelayDb db, MailOutbox outbox, IReadOnlyCollection<string> agencyIds, string candidateId, string textKey, DateTime now, CancellationToken ct)
    {
        var contacts = await db.Agencies.Where(a => agencyIds.Contains(a.Id)).Select(a => a.ContactEmail).ToListAsync(ct);
        foreach (var contact in contacts)
            outbox.Enqueue(db, null, null, textKey == "Mail.Erased" ? "agency-candidate-erased" : "agency-candidate-withdrew",
                new MailContent(contact, Texts.Get($"{textKey}.Subject", Lang.Japanese), Texts.Format($"{textKey}.Body", Lang.Japanese, candidateId), Lang.Japanese), now);
    }
}
