using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Agencies;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Lists;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Messages;

/// <summary>How many messages one sender may write in an hour (<c>Messages:*</c>).</summary>
public sealed class MessageOptions
{
    /// <summary>Per agency user or API key, over all its threads.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)] public int AgencySenderPerHour { get; set; } = 60;
    /// <summary>Per person, over all their threads.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)] public int PersonPerHour { get; set; } = 20;
}

/// <summary>
/// The thread between an agency and a person (one per pair). Only an agency with an active consent writes or reads; after
/// the person withdraws, the thread is closed for both (the person still reads their side on /me); erasure deletes it.
/// Every agency read is audited; each side hears of a new message without its text (the person by mail or LINE, the agency
/// by mail to its contact address and a webhook) — once per unread run, not once per message.
/// </summary>
public sealed class Conversations(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, AgencyWork work, PersonNotices notices, MailOutbox outbox,
    Infrastructure.Webhooks.WebhookOutbox webhooks, PublicUrls urls, IOptions<MessageOptions> options, TimeProvider clock)
{
    public const int MaxText = 4000;

    public static ApiError Blocked => new(409, ProblemCodes.InvalidState, "Messages blocked", "The person stopped this agency's messages.");
    public static ApiError Closed => new(409, ProblemCodes.InvalidState, "Thread closed", "The person withdrew their consent to this agency; the thread is closed.");
    public static ApiError TooMany => new(429, ProblemCodes.RateLimited, "Too many messages", "Too many messages from this sender in the last hour; try again later.");

    /// <summary>An agency user or key writes to a consenting person; the first message is the agency's first contact.</summary>
    public async Task<Result<MessageItem>> SendFromAgencyAsync(string agencyId, string actor, string candidateId, string? text, CancellationToken ct)
    {
        var v = new Validation();
        var body = v.Required("text", text, MaxText, multiline: true);
        if (!v.IsValid) return v.ToError();
        if (!await work.SeesCandidateAsync(agencyId, candidateId, ct)) return ApiError.NotFound("candidate");
        if (await IsBlockedAsync(db, agencyId, candidateId, ct)) return Blocked;
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.Messages.CountAsync(m => m.SenderId == actor && m.Sender == MessageSenders.Agency && m.CreatedAt > now.AddHours(-1), ct)
            >= options.Value.AgencySenderPerHour) return TooMany;
        var key = await db.CandidateKeys.AsNoTracking().FirstOrDefaultAsync(k => k.CandidateId == candidateId, ct);
        if (key is null) return ApiError.NotFound("candidate");
        var message = new Message
        {
            Id = Ids.New(), AgencyId = agencyId, CandidateId = candidateId, Sender = MessageSenders.Agency, SenderId = actor,
            Body = PersonalDataCipher.Seal(vault.Unwrap(key), System.Text.Encoding.UTF8.GetBytes(body)), CreatedAt = now,
        };
        var agencyName = await db.Agencies.Where(a => a.Id == agencyId).Select(a => a.Name).FirstAsync(ct);
        await gate.RunAsync(db, async token =>
        {
            var unreadBefore = await db.Messages.AnyAsync(m => m.AgencyId == agencyId && m.CandidateId == candidateId
                && m.Sender == MessageSenders.Agency && m.ReadAt == null, token);
            db.Messages.Add(message);
            await work.MarkFirstContactAsync(agencyId, candidateId, actor, now, token);
            if (!unreadBefore)
                await notices.TellAsync(candidateId, "candidate-message", (lang, profile) => new PersonNotices.Said(
                    new MailContent(profile.Email, Texts.Format("Mail.Message.Subject", lang, agencyName),
                        Texts.Format("Mail.Message.Body", lang, profile.Name, agencyName, urls.To("/me" + Lang.Query(lang) + "#messages")), lang),
                    Texts.Format("Line.Message", lang, agencyName, urls.To("/me" + Lang.Query(lang) + "#messages"))), token);
            return 0;
        }, ct);
        return ToItem(message, body);
    }

    /// <summary>The thread as the agency reads it (oldest first, paged); the person's messages become read. Audited.</summary>
    public async Task<Result<Page<MessageItem>>> ThreadForAgencyAsync(string agencyId, string actor, string candidateId, PageRequest page, CancellationToken ct)
    {
        if (!await work.SeesCandidateAsync(agencyId, candidateId, ct)) return ApiError.NotFound("candidate");
        var opened = await vault.OpenAsync(db, candidateId, ct);
        if (opened is null) return ApiError.NotFound("candidate");
        var rows = await db.Messages.AsNoTracking().Where(m => m.AgencyId == agencyId && m.CandidateId == candidateId)
            .PageAfter(page, m => m.Id).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var unread = rows.Where(m => m.Sender == MessageSenders.Person && m.ReadAt is null).Select(m => m.Id).ToList();
        await gate.RunAsync(db, async token =>
        {
            if (unread.Count > 0)
                await db.Messages.Where(m => unread.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.ReadAt, now), token);
            db.AuditEntries.Add(new AuditEntry { Id = Ids.New(), ActorType = ActorTypes.Agency, ActorId = actor, Action = AuditActions.MessagesRead, CandidateId = candidateId, CreatedAt = now });
            return 0;
        }, ct);
        return page.ToPage(rows, m => m.Id, m => ToItem(m, Open(opened.DataKey, m), unread.Contains(m.Id) ? now : m.ReadAt));
    }

    /// <summary>Unread messages from each person to this agency (counts only: nothing opened, nothing to audit).</summary>
    public Task<Dictionary<string, int>> UnreadByCandidateAsync(string agencyId, CancellationToken ct) =>
        db.Messages.Where(m => m.AgencyId == agencyId && m.Sender == MessageSenders.Person && m.ReadAt == null)
            .GroupBy(m => m.CandidateId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);

    /// <summary>The person answers (or writes first to) an agency they consented to; a withdrawn consent closes the thread.</summary>
    public async Task<Result<MessageItem>> SendFromPersonAsync(string candidateId, string? agencyId, string? text, string lang, CancellationToken ct)
    {
        var v = new Validation();
        var body = v.Required("text", text, MaxText, multiline: true);
        var agency = v.Required("agencyId", agencyId, 64);
        if (!v.IsValid) return v.ToError(lang);
        var consents = await db.Consents.Where(c => c.CandidateId == candidateId && c.AgencyId == agency).Select(c => c.WithdrawnAt).ToListAsync(ct);
        if (consents.Count == 0) return ApiError.NotFound("agency");
        if (consents.All(w => w is not null)) return Closed;
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.Messages.CountAsync(m => m.CandidateId == candidateId && m.Sender == MessageSenders.Person && m.CreatedAt > now.AddHours(-1), ct)
            >= options.Value.PersonPerHour) return TooMany;
        var opened = await vault.OpenAsync(db, candidateId, ct);
        if (opened is null) return ApiError.NotFound("agency");
        var message = new Message
        {
            Id = Ids.New(), AgencyId = agency, CandidateId = candidateId, Sender = MessageSenders.Person, SenderId = candidateId,
            Body = PersonalDataCipher.Seal(opened.DataKey, System.Text.Encoding.UTF8.GetBytes(body)), CreatedAt = now,
        };
        await gate.RunAsync(db, async token =>
        {
            var unreadBefore = await db.Messages.AnyAsync(m => m.AgencyId == agency && m.CandidateId == candidateId
                && m.Sender == MessageSenders.Person && m.ReadAt == null, token);
            db.Messages.Add(message);
            // The agency hears only that there is an answer: the pseudonymous id and a link; the text stays behind sign-in.
            if (!unreadBefore)
            {
                var contact = await db.Agencies.Where(a => a.Id == agency).Select(a => a.ContactEmail).FirstAsync(token);
                outbox.Enqueue(db, null, null, "agency-message", new MailContent(contact, Texts.Get("Mail.AgencyMessage.Subject", Lang.Japanese),
                    Texts.Format("Mail.AgencyMessage.Body", Lang.Japanese, candidateId, urls.To($"/agency/candidates/{candidateId}#messages")), Lang.Japanese), now);
            }
            await webhooks.EnqueueAsync(db, "agency", agency, Infrastructure.Webhooks.AgencyEvents.MessageReceived, new { candidateId, messageId = message.Id }, token);
            return 0;
        }, ct);
        return ToItem(message, body);
    }

    /// <summary>One thread as the person sees it on /me.</summary>
    public sealed record PersonThread(string AgencyId, string AgencyName, string State, IReadOnlyList<MessageItem> Messages, int Unread);

    /// <summary>
    /// The person's threads (every agency they consented to, with or without messages); reading marks the agency's messages read.
    /// </summary>
    public async Task<IReadOnlyList<PersonThread>> ThreadsForPersonAsync(string candidateId, byte[] dataKey, bool markRead, CancellationToken ct)
    {
        var agencies = await (from c in db.Consents
                              join a in db.Agencies on c.AgencyId equals a.Id
                              where c.CandidateId == candidateId
                              group c by new { a.Id, a.Name } into g
                              select new { g.Key.Id, g.Key.Name, Open = g.Any(c => c.WithdrawnAt == null) }).ToListAsync(ct);
        var messages = await db.Messages.AsNoTracking().Where(m => m.CandidateId == candidateId).OrderBy(m => m.Id).ToListAsync(ct);
        var blocked = await db.MessageBlocks.Where(b => b.CandidateId == candidateId).Select(b => b.AgencyId).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var unread = messages.Where(m => m.Sender == MessageSenders.Agency && m.ReadAt is null).ToList();
        if (markRead && unread.Count > 0)
        {
            var ids = unread.Select(m => m.Id).ToList();
            await gate.RunAsync(db, token => db.Messages.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.ReadAt, now), token), ct);
        }
        return [.. agencies.Where(a => a.Open || messages.Any(m => m.AgencyId == a.Id)).OrderBy(a => a.Name).Select(a => new PersonThread(a.Id, a.Name,
            !a.Open ? ThreadStates.Closed : blocked.Contains(a.Id) ? ThreadStates.Blocked : ThreadStates.Open,
            [.. messages.Where(m => m.AgencyId == a.Id).Select(m => ToItem(m, Open(dataKey, m)))],
            unread.Count(m => m.AgencyId == a.Id)))];
    }

    /// <summary>The person stops (or allows again) one agency's messages; false when they never consented to it.</summary>
    public async Task<bool> BlockAsync(string candidateId, string agencyId, bool block, CancellationToken ct)
    {
        if (!await db.Consents.AnyAsync(c => c.CandidateId == candidateId && c.AgencyId == agencyId, ct)) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, async token =>
        {
            var existing = await db.MessageBlocks.FirstOrDefaultAsync(b => b.CandidateId == candidateId && b.AgencyId == agencyId, token);
            if (block && existing is null) db.MessageBlocks.Add(new MessageBlock { CandidateId = candidateId, AgencyId = agencyId, BlockedAt = now });
            if (!block && existing is not null) db.MessageBlocks.Remove(existing);
            return 0;
        }, ct);
        return true;
    }

    /// <summary>Whether the person stopped this agency's messages (the agency's page says so instead of offering a form).</summary>
    public Task<bool> IsBlockedAsync(string agencyId, string candidateId, CancellationToken ct) => IsBlockedAsync(db, agencyId, candidateId, ct);

    /// <summary>The one block check, for messages and for interview proposals alike.</summary>
    public static Task<bool> IsBlockedAsync(CareerRelayDb db, string agencyId, string candidateId, CancellationToken ct) =>
        db.MessageBlocks.AnyAsync(b => b.CandidateId == candidateId && b.AgencyId == agencyId, ct);

    private static string Open(byte[] dataKey, Message m) => System.Text.Encoding.UTF8.GetString(PersonalDataCipher.Open(dataKey, m.Body));

    private static MessageItem ToItem(Message m, string text, DateTime? readAt = null) => new(m.Id, m.Sender, text, m.CreatedAt, readAt ?? m.ReadAt);
}
