using System.Text.Json;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Links;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;

namespace CareerRelay.Web.Features.Ats;

public static class AtsEventTypes
{
    public const string Rejected = "rejected";
    public const string Unrejected = "unrejected";
    public const string Withdrawn = "withdrawn";
    public static readonly string[] All = [Rejected, Unrejected, Withdrawn];
    public static readonly string[] Outcomes = ["company_rejected", "candidate_withdrew", "offer_declined", "other"];
    public static readonly string[] Sources = ["direct", "agency", "referral", "job_board"];
}

/// <summary>A rejection event in our own terms, whichever way it came in (API, Greenhouse, Lever, CSV row).</summary>
public sealed record RejectionEvent(
    string EventId, string Type, string ApplicationId, string? Outcome, string? Source, string? JobTitle,
    DateTime OccurredAt, DateTime? SendAt, string Lang, string? CandidateName, string? CandidateEmail, string Channel);

/// <summary>The answer of SPEC §6: the invitation URL (null when none is due) and whether a mail was scheduled.</summary>
public sealed record AtsAnswer(string? InvitationUrl, string Mail, int CancelledMails = 0);

/// <summary>
/// Turns a rejection event into a personal invitation and, when the ATS gave an address, an entrusted rejection mail
/// at the scheduled time. Withdrawals and agency-sourced applications get nothing; an unreject cancels a mail not yet
/// sent. Each event is written once, in one transaction, with its answer: the same event id again replays the answer.
/// </summary>
public sealed class RejectionIntake(CareerRelayDb db, DbWriteGate gate, MailOutbox outbox, KeyRing keys, PublicUrls urls, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public const string AutoLinkLabel = "ATS";

    public async Task<AtsAnswer> HandleAsync(string companyId, RejectionEvent e, CancellationToken ct)
    {
        if (await StoredAnswerAsync(companyId, e.EventId, ct) is { } stored) return stored;
        try
        {
            return await gate.RunAsync(db, token => DecideAsync(companyId, e, token), ct);
        }
        catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex))
        {
            // The same event arrived twice at once: the other request wrote it; answer what it answered.
            return (await StoredAnswerAsync(companyId, e.EventId, ct))!;
        }
    }

    private async Task<AtsAnswer?> StoredAnswerAsync(string companyId, string eventId, CancellationToken ct)
    {
        var answer = await db.AtsEvents.AsNoTracking().Where(a => a.CompanyId == companyId && a.EventId == eventId).Select(a => a.Answer).FirstOrDefaultAsync(ct);
        return answer is null ? null : JsonSerializer.Deserialize<AtsAnswer>(PersonalDataCipher.Open(keys.SystemDataKey, answer), Json);
    }

    private async Task<AtsAnswer> DecideAsync(string companyId, RejectionEvent e, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        AtsAnswer answer;
        var invited = false;
        if (e.Type == AtsEventTypes.Unrejected) answer = new AtsAnswer(null, "none", await CancelPendingAsync(companyId, e.ApplicationId, now, ct));
        else if (e.Type == AtsEventTypes.Withdrawn || e.Outcome == "candidate_withdrew" || e.Source == "agency") answer = new AtsAnswer(null, "none");
        else if (await EarlierInvitationAsync(companyId, e.ApplicationId, ct) is { } earlier) answer = earlier with { Mail = "none", CancelledMails = 0 };
        else
        {
            var settings = await db.EntrustedSettings.AsNoTracking().FirstOrDefaultAsync(s => s.CompanyId == companyId, ct) ?? new EntrustedSettings { CompanyId = companyId };
            var linkId = await LinkForAsync(companyId, settings, now, ct);
            if (linkId is null) answer = new AtsAnswer(null, "none"); // every link is paused: the company stopped relaying
            else
            {
                var (invitation, invitationToken) = LinkActions.NewInvitation(companyId, linkId, e.ApplicationId, now);
                db.Invitations.Add(invitation);
                var url = urls.To($"/r/{invitationToken}");
                invited = true;
                var mailed = e.CandidateEmail is not null && await ScheduleMailAsync(companyId, e, settings, url, now, ct);
                answer = new AtsAnswer(url, mailed ? "scheduled" : "none");
            }
        }
        db.AtsEvents.Add(new AtsEvent
        {
            CompanyId = companyId, EventId = e.EventId, Type = e.Type, ApplicationId = e.ApplicationId, Invited = invited, CreatedAt = now,
            Answer = PersonalDataCipher.Seal(keys.SystemDataKey, JsonSerializer.SerializeToUtf8Bytes(answer, Json)),
        });
        return answer;
    }

    /// <summary>A second rejection of an application already invited (and not unrejected since) reuses that invitation: one mail per rejection.</summary>
    private async Task<AtsAnswer?> EarlierInvitationAsync(string companyId, string applicationId, CancellationToken ct)
    {
        var latest = await db.AtsEvents.AsNoTracking().Where(a => a.CompanyId == companyId && a.ApplicationId == applicationId)
            .OrderByDescending(a => a.CreatedAt).FirstOrDefaultAsync(ct);
        return latest is { Invited: true } ? JsonSerializer.Deserialize<AtsAnswer>(PersonalDataCipher.Open(keys.SystemDataKey, latest.Answer), Json) : null;
    }

    /// <summary>The chosen link; else the oldest link that is not paused; else a new one labelled "ATS" when the company has none.</summary>
    private async Task<string?> LinkForAsync(string companyId, EntrustedSettings settings, DateTime now, CancellationToken ct)
    {
        var links = await db.RelayLinks.AsNoTracking().Where(l => l.CompanyId == companyId).OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
            .Select(l => new { l.Id, l.Paused }).ToListAsync(ct);
        if (links.Count == 0)
        {
            var link = new RelayLink { Id = Ids.New(), CompanyId = companyId, Token = SecretTokens.New(16), Label = AutoLinkLabel, CreatedAt = now };
            db.RelayLinks.Add(link);
            return link.Id;
        }
        if (settings.LinkId is not null && links.FirstOrDefault(l => l.Id == settings.LinkId) is { Paused: false } chosen) return chosen.Id;
        return links.FirstOrDefault(l => !l.Paused)?.Id;
    }

    private async Task<bool> ScheduleMailAsync(string companyId, RejectionEvent e, EntrustedSettings settings, string url, DateTime now, CancellationToken ct)
    {
        var company = await db.Companies.AsNoTracking().Where(c => c.Id == companyId).Select(c => new { c.Name, c.ContactEmail }).FirstAsync(ct);
        var (subject, body) = RejectionTemplate.RenderFor(settings.Tone, e.Lang, company.Name, url, e.CandidateName);
        var content = new MailContent(e.CandidateEmail!, subject, body, e.Lang, FromName: settings.SenderName ?? company.Name, ReplyTo: company.ContactEmail);
        var sendAt = e.SendAt ?? (settings.SendTime == EntrustedSendTimes.NextWeekday10 ? JapanCalendar.NextBusinessDayAt(now, new TimeOnly(10, 0)) : now);
        if (sendAt < now) sendAt = now;
        var mail = outbox.Create(null, null, "entrusted", MailOutbox.Seal(keys.SystemDataKey, content), now);
        mail.NextAttemptAt = sendAt;
        db.OutboxMails.Add(mail);
        db.EntrustedMails.Add(new EntrustedMail
        {
            Id = Ids.New(), CompanyId = companyId, ApplicationId = e.ApplicationId, Source = e.Channel, OutboxMailId = mail.Id, Lang = e.Lang,
            SendAt = sendAt, CreatedAt = now,
        });
        return true;
    }

    /// <summary>Cancels this application's entrusted mails that have not gone out (and are not being sent this moment).</summary>
    private async Task<int> CancelPendingAsync(string companyId, string applicationId, DateTime now, CancellationToken ct)
    {
        var mails = await db.EntrustedMails.Where(m => m.CompanyId == companyId && m.ApplicationId == applicationId && m.CancelledAt == null && m.PurgedAt == null)
            .ToListAsync(ct);
        var cancelled = 0;
        foreach (var mail in mails)
        {
            var stopped = await db.OutboxMails.Where(o => o.Id == mail.OutboxMailId && o.Status == OutboxStatus.Pending && (o.LockedUntil == null || o.LockedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OutboxStatus.Cancelled), ct);
            if (stopped == 0) continue;
            mail.CancelledAt = now;
            cancelled++;
        }
        return cancelled;
    }
}
