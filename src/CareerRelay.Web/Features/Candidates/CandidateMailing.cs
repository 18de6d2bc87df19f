using System.Security.Cryptography;
using System.Text;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// Non-transactional mail to candidates (job recommendations, surveys): only with their opt-in, and always
/// with a one-click unsubscribe link (特定電子メール法; RFC 8058). Transactional mail (verification,
/// sign-in links) goes through <see cref="MailOutbox"/> directly and needs neither.
/// </summary>
public sealed class CandidateMailing(CareerRelayDb db, CandidateVault vault, MailOutbox outbox, Line.LinePushes line, KeyRing keys, PublicUrls urls,
    TimeProvider clock)
{
    /// <summary>
    /// Queues the mail in the caller's transaction if the person opted in; false (nothing queued) otherwise. With
    /// <paramref name="lineText"/>, a person who linked LINE gets that push instead (the mail if the push cannot go).
    /// </summary>
    public async Task<bool> EnqueueAsync(string candidateId, string kind, string subject, string body, string lang, CancellationToken ct,
        string? lineText = null)
    {
        if (await vault.OpenAsync(db, candidateId, ct) is not { Candidate.RecommendationMails: true } opened) return false;
        var (_, dataKey, profile) = opened;
        var unsubscribe = urls.To($"/unsubscribe/{UnsubscribeToken(candidateId)}");
        var footer = Texts.Format("Mail.Unsubscribe.Footer", lang, unsubscribe);
        var mail = new MailContent(profile.Email, subject, body + "\n\n" + footer, lang, unsubscribe);
        var now = clock.GetUtcNow().UtcDateTime;
        if (lineText is null || !await line.QueueAsync(db, candidateId, dataKey, kind, lineText, mail, now, ct))
            outbox.Enqueue(db, candidateId, dataKey, kind, mail, now);
        return true;
    }

    /// <summary>The pseudonymous id and a keyed MAC of it: works without a sign-in, cannot be guessed for anyone else.</summary>
    public string UnsubscribeToken(string candidateId) => Token("unsubscribe", candidateId);

    public string? CandidateOf(string? token) => IdOf("unsubscribe", token);

    /// <summary>A link token for one purpose and one id (an alumni membership's job mails): the id and a keyed MAC of both.</summary>
    public string Token(string purpose, string id) => $"{id}.{Mac(purpose, id)}";

    /// <summary>The id a genuine token of this purpose names; null for anything else.</summary>
    public string? IdOf(string purpose, string? token)
    {
        var parts = (token ?? "").Split('.');
        if (parts.Length != 2 || parts[0].Length is 0 or > 64) return null;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(purpose, parts[0])), Encoding.ASCII.GetBytes(parts[1])) ? parts[0] : null;
    }

    /// <summary>Turns non-transactional mail off; true when the token was genuine (whether or not it was on).</summary>
    public async Task<bool> UnsubscribeAsync(string? token, DbWriteGate gate, CancellationToken ct)
    {
        var candidateId = CandidateOf(token);
        if (candidateId is null) return false;
        await gate.RunAsync(db, t => db.Candidates.Where(c => c.Id == candidateId).ExecuteUpdateAsync(s => s.SetProperty(c => c.RecommendationMails, false), t), ct);
        return true;
    }

    private string Mac(string purpose, string id) =>
        Convert.ToBase64String(HMACSHA256.HashData(keys.SystemDataKey, Encoding.UTF8.GetBytes(purpose + ":" + id)))[..22]
            .Replace('+', '-').Replace('/', '_');
}
