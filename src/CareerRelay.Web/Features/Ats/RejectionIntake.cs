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
    DateTime OccurredAt, DateTime? SendAt, string Lang, string? CandidateName, string? CandidateEmail, string Channel, string? Stage = null);

/// <summary>The answer of SPEC §6: the invitation URL (null when none is due) and whether a mail was scheduled.</summary>
public sealed record AtsAnswer(string? InvitationUrl, string Mail, int CancelledMails = 0, string? Variant = null);

/// <summary>
/// Turns a rejection event into a personal invitation and, when the ATS gave an address, an entrusted rejection mail
/// at the scheduled time. Withdrawals and agency-sourced applications get nothing; an unreject cancels a mail not yet
/// sent. Each event is written once, in one transaction, with its answer: the same event id again replays the answer.
/// </summary>
public sealed class RejectionIntake(CareerRelayDb db, DbWriteGate gate, MailOutbox outbox, KeyRing keys, PublicUrls urls, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public const string AutoLinkLabel = "ATS";

    /// <summary>What every event of one company needs, read once per transaction: how to send, under which link, from whom.</summary>
    private sealed record CompanyContext(EntrustedSettings Settings, string? LinkId, string CompanyName, string ContactEmail,
        RejectionWording? LinkWording, Experiments.RunningExperiment? Experiment);

    public async Task<AtsAnswer> HandleAsync(string companyId, RejectionEvent e, CancellationToken ct) =>
        (await HandleManyAsync(companyId, [e], ct))[0];

    /// <summary>
    /// Many events (an import) in transactions of up to <see cref="BatchSize"/>: one read of the company's settings and
    /// link, one lookup of the events already seen, one commit. If a concurrent request wrote one of the same events
    /// first, that batch is redone one event at a time, so each event still answers exactly what was stored.
    /// </summary>
    public async Task<IReadOnlyList<AtsAnswer>> HandleManyAsync(string companyId, IReadOnlyList<RejectionEvent> events, CancellationToken ct)
    {
        var answers = new AtsAnswer[events.Count];
        for (var offset = 0; offset < events.Count; offset += BatchSize)
        {
            var batch = events.Skip(offset).Take(BatchSize).ToList();
            try
            {
                var decided = await gate.RunAsync(db, token => DecideBatchAsync(companyId, batch, token), ct);
                decided.CopyTo(answers, offset);
            }
            catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex) && batch.Count > 1)
            {
                for (var i = 0; i < batch.Count; i++) answers[offset + i] = await HandleAsync(companyId, batch[i], ct);
            }
            catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex))
            {
                // The same event arrived twice at once: the other request wrote it; answer what it answered.
                answers[offset] = (await StoredAnswersAsync(companyId, [batch[0].EventId], ct))[batch[0].EventId];
            }
        }
        return answers;
    }

    public const int BatchSize = 250;

    private async Task<AtsAnswer[]> DecideBatchAsync(string companyId, List<RejectionEvent> batch, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stored = await StoredAnswersAsync(companyId, batch.Select(e => e.EventId).ToList(), ct);
        var answers = new AtsAnswer[batch.Count];
        // Events decided in this batch are not in the database yet: the same event or application again is answered from here.
        var decided = new Dictionary<string, AtsAnswer>();
        var invitedNow = new Dictionary<string, AtsAnswer>();
        CompanyContext? context = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i];
            if (stored.TryGetValue(e.EventId, out var known) || decided.TryGetValue(e.EventId, out known)) { answers[i] = known; continue; }
            context ??= await ContextAsync(companyId, now, ct);
            answers[i] = decided[e.EventId] = e.Type == AtsEventTypes.Rejected && invitedNow.TryGetValue(e.ApplicationId, out var earlier)
                ? Record(companyId, e, earlier with { Mail = "none", CancelledMails = 0 }, invited: true, now)
                : await DecideAsync(companyId, e, context, now, ct);
            if (answers[i].InvitationUrl is not null) invitedNow[e.ApplicationId] = answers[i];
        }
        await Credits.SummaryRollup.AddInvitationsAsync(db, companyId,
            db.ChangeTracker.Entries<Invitation>().Count(x => x.State == EntityState.Added), ct);
        return answers;
    }

    private async Task<Dictionary<string, AtsAnswer>> StoredAnswersAsync(string companyId, List<string> eventIds, CancellationToken ct) =>
        (await db.AtsEvents.AsNoTracking().Where(a => a.CompanyId == companyId && eventIds.Contains(a.EventId)).Select(a => new { a.EventId, a.Answer }).ToListAsync(ct))
            .ToDictionary(a => a.EventId, a => Open(a.Answer));

    private AtsAnswer Open(byte[] sealedAnswer) => JsonSerializer.Deserialize<AtsAnswer>(PersonalDataCipher.Open(keys.SystemDataKey, sealedAnswer), Json)!;

    private async Task<CompanyContext> ContextAsync(string companyId, DateTime now, CancellationToken ct)
    {
        var settings = await db.EntrustedSettings.AsNoTracking().FirstOrDefaultAsync(s => s.CompanyId == companyId, ct) ?? new EntrustedSettings { CompanyId = companyId };
        var company = await db.Companies.AsNoTracking().Where(c => c.Id == companyId).Select(c => new { c.Name, c.ContactEmail }).FirstAsync(ct);
        var linkId = await LinkForAsync(companyId, settings, now, ct);
        var link = linkId is null ? null : await db.RelayLinks.AsNoTracking().Where(l => l.Id == linkId).Select(l => new { l.TemplateTone, l.TemplateText }).FirstOrDefaultAsync(ct);
        var wording = link is null || (link.TemplateTone is null && link.TemplateText is null) ? null : new RejectionWording(link.TemplateTone, link.TemplateText);
        return new CompanyContext(settings, linkId, company.Name, company.ContactEmail, wording,
            linkId is null ? null : await Experiments.ManageExperiments.RunningAsync(db, linkId, ct));
    }

    private async Task<AtsAnswer> DecideAsync(string companyId, RejectionEvent e, CompanyContext context, DateTime now, CancellationToken ct)
    {
        AtsAnswer answer;
        var invited = false;
        if (e.Type == AtsEventTypes.Unrejected) answer = new AtsAnswer(null, "none", await CancelPendingAsync(companyId, e.ApplicationId, now, ct));
        else if (e.Type == AtsEventTypes.Withdrawn || e.Outcome == "candidate_withdrew" || e.Source == "agency") answer = new AtsAnswer(null, "none");
        else if (await EarlierInvitationAsync(companyId, e.ApplicationId, ct) is { } earlier) answer = earlier with { Mail = "none", CancelledMails = 0 };
        else if (context.LinkId is null) answer = new AtsAnswer(null, "none"); // every link is paused: the company stopped relaying
        else
        {
            var (invitation, invitationToken) = LinkActions.NewInvitation(companyId, context.LinkId, e.ApplicationId, now, e.Stage, context.Experiment);
            db.Invitations.Add(invitation);
            var url = urls.To($"/r/{invitationToken}");
            invited = true;
            var variant = invitation.Variant is null ? null : context.Experiment!.Variants.First(v => v.Key == invitation.Variant);
            if (e.CandidateEmail is not null) ScheduleMail(companyId, e, context, url, variant, now);
            answer = new AtsAnswer(url, e.CandidateEmail is not null ? "scheduled" : "none", Variant: invitation.Variant);
        }
        return Record(companyId, e, answer, invited, now);
    }

    /// <summary>Keeps the event with its answer (sealed: the invitation URL is a bearer token), so the same event id replays it.</summary>
    private AtsAnswer Record(string companyId, RejectionEvent e, AtsAnswer answer, bool invited, DateTime now)
    {
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
            .OrderByDescending(a => a.CreatedAt).Select(a => new { a.Invited, a.Answer }).FirstOrDefaultAsync(ct);
        return latest is { Invited: true } ? Open(latest.Answer) : null;
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

    private void ScheduleMail(string companyId, RejectionEvent e, CompanyContext context, string url, Experiments.ExperimentVariant? variant, DateTime now)
    {
        var settings = context.Settings;
        // Under an experiment the variant's wording, always (else the comparison is spoiled). Otherwise someone who reached the
        // final round (or declined an offer) gets the warm tone, unless the company turned that off; else the link's own wording.
        var wording = variant is not null ? new RejectionWording(variant.Tone, variant.Text)
            : settings.ToneFollowsStage && SelectionStages.ReachedFinal(e.Stage) ? new RejectionWording(RejectionTemplate.Warm, null)
            : context.LinkWording ?? new RejectionWording(settings.Tone, null);
        var (subject, body) = RejectionTemplate.RenderFor(wording, e.Lang, context.CompanyName, url, e.CandidateName);
        var content = new MailContent(e.CandidateEmail!, subject, body, e.Lang, FromName: settings.SenderName ?? context.CompanyName, ReplyTo: context.ContactEmail);
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
