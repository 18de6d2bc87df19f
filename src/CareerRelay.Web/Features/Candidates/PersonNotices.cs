using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// Tells a person that something waits for them (a message, an interview, a reminder), in the language they registered in:
/// by LINE when they linked it and chose to hear there (<see cref="Features.Line.LinePushes"/>, which falls back to mail when a push
/// fails), else by mail. Queued in the caller's transaction. The notice never carries what the person would otherwise read
/// behind sign-in (a message's text): only that there is something, and where.
/// </summary>
public sealed class PersonNotices(CareerRelayDb db, CandidateVault vault, MailOutbox outbox, Line.LinePushes line, TimeProvider clock)
{
    /// <summary>What a notice says in one language: the mail, and the shorter LINE text (null: mail only).</summary>
    public sealed record Said(MailContent Mail, string? LineText);

    /// <summary>
    /// Queues the notice (false when the person is gone). <paramref name="mailAlso"/>: the mail goes even to a person on LINE
    /// (an invitation whose calendar file only mail can carry).
    /// </summary>
    public async Task<bool> TellAsync(string candidateId, string kind, Func<string, CandidateProfile, Said> say, CancellationToken ct, bool mailAlso = false)
    {
        if (await vault.OpenAsync(db, candidateId, ct) is not { } opened) return false;
        var lang = await LanguageOfAsync(candidateId, ct);
        var said = say(lang, opened.Profile);
        var now = clock.GetUtcNow().UtcDateTime;
        var pushed = said.LineText is not null && await line.QueueAsync(db, candidateId, opened.DataKey, kind, said.LineText, mailAlso ? null : said.Mail, now, ct);
        if (!pushed || mailAlso) outbox.Enqueue(db, candidateId, opened.DataKey, kind, said.Mail, now);
        return true;
    }

    /// <summary>The language of the person's latest registration (Japanese when there is none).</summary>
    public async Task<string> LanguageOfAsync(string candidateId, CancellationToken ct) =>
        await db.Registrations.Where(r => r.CandidateId == candidateId).OrderByDescending(r => r.CreatedAt).Select(r => r.Lang).FirstOrDefaultAsync(ct)
            is Lang.English ? Lang.English : Lang.Japanese;
}
