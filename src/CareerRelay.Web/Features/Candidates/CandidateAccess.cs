using System.Security.Claims;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Mail;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// How a candidate gets to their own data without a password: <c>POST /api/v1/public/me/link</c> mails
/// <c>/me/{token}</c>. The token works for 30 minutes for any number of POSTs (the JSON routes, and the
/// page's sign-in button, which swaps it for a session cookie); a GET never uses it. Erasure deletes the
/// tokens and the candidate, so both the token and any session die with the person.
/// </summary>
public sealed class CandidateAccess(CareerRelayDb db, DbWriteGate gate, LookupHasher hasher, CandidateVault vault, MailOutbox outbox, PublicUrls urls,
    IOptions<CareerRelayOptions> site, TimeProvider clock)
{
    public const string Scheme = "Candidate";
    public const string Policy = "candidate";
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(30);
    private const int MaxLiveTokens = 5;

    /// <summary>Mails a sign-in link when the address belongs to a candidate; says nothing either way.</summary>
    public async Task RequestLinkAsync(string? email, string lang, CancellationToken ct)
    {
        var normalised = PersonIdentity.NormaliseEmail(email ?? "");
        if (!PersonIdentity.IsPlausibleEmail(normalised)) return;
        var emailHash = hasher.Person("email:" + normalised);
        var found = await (from c in db.Candidates
                           join k in db.CandidateKeys on c.Id equals k.CandidateId
                           where c.EmailHash == emailHash
                           select new { c.Id, k.WrappedKey }).FirstOrDefaultAsync(ct);
        if (found is null) return;
        var now = clock.GetUtcNow().UtcDateTime;
        // A handful of live links per person, then silence: the address owner's inbox is not ours to flood.
        if (await db.MeTokens.CountAsync(t => t.CandidateId == found.Id && t.ExpiresAt > now, ct) >= MaxLiveTokens) return;

        var token = SecretTokens.New(24);
        var dataKey = vault.Unwrap(new CandidateKey { CandidateId = found.Id, WrappedKey = found.WrappedKey });
        var operatorInfo = site.Value.Operator;
        await gate.RunAsync(db, _ =>
        {
            db.MeTokens.Add(new MeToken { TokenHash = SecretTokens.Hash(token), CandidateId = found.Id, ExpiresAt = now + TokenLifetime, CreatedAt = now });
            outbox.Enqueue(db, found.Id, dataKey, "candidate-sign-in", new MailContent(normalised, Texts.Get("Mail.Me.Subject", lang),
                Texts.Format("Mail.Me.Body", lang, urls.To($"/me/{token}{Lang.Query(lang)}"), operatorInfo.Name, operatorInfo.ComplaintContact),
                lang), now);
            return Task.FromResult(0);
        }, ct);
    }

    /// <summary>The candidate a live token belongs to, or null (malformed, unknown, expired, or the person was erased).</summary>
    public async Task<string?> ResolveAsync(string? token, CancellationToken ct)
    {
        if (!SecretTokens.LooksValid(token)) return null;
        var hash = SecretTokens.Hash(token!);
        var now = clock.GetUtcNow().UtcDateTime;
        return await (from t in db.MeTokens
                      join c in db.Candidates on t.CandidateId equals c.Id
                      where t.TokenHash == hash && t.ExpiresAt > now
                      select c.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>The person opened a link we mailed: their address takes mail again, so it leaves the suppression list.</summary>
    public async Task MailReachedAsync(string candidateId, CancellationToken ct)
    {
        var hash = await db.Candidates.Where(c => c.Id == candidateId).Select(c => c.EmailHash).FirstOrDefaultAsync(ct);
        if (hash is null || !await db.MailSuppressions.AnyAsync(x => x.AddressHash == hash, ct)) return;
        await gate.RunAsync(db, t => db.MailSuppressions.Where(x => x.AddressHash == hash).ExecuteDeleteAsync(t), ct);
    }

    public static ClaimsPrincipal PrincipalFor(string candidateId, DateTimeOffset now) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, candidateId),
            SessionCookies.SignedInAt(now),
        ], Scheme));

    public static string? CandidateId(ClaimsPrincipal user) =>
        user.Identity?.AuthenticationType == Scheme ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;
}

