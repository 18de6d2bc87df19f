using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Line;

/// <summary>
/// Binding a person's LINE account: /me shows a one-time code (8 letters and digits, 30 minutes); the person sends it to the
/// bot; the webhook finds the code and binds the sender's LINE user id to the person. <c>unfollow</c> (the person blocked or
/// removed the account) and /me's button unlink.
/// </summary>
public sealed class LineLinking(CareerRelayDb db, DbWriteGate gate, CandidateVault vault, LookupHasher hasher, LineClient client, PersonNotices notices, PublicUrls urls,
    IOptions<LineOptions> options, TimeProvider clock, ILogger<LineLinking> logger)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(30);
    // No 0/O, 1/I/L: the person may type the code from a screen into a phone.
    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    public const int CodeLength = 8;

    /// <summary>What /me shows: whether LINE is on, linked (as whom), notices on, and a live code.</summary>
    public sealed record View(bool Enabled, bool Linked, string? DisplayName, bool Notify, string? Code, DateTime? CodeExpiresAt, string AddFriendUrl);

    public async Task<View> ViewAsync(string candidateId, byte[] dataKey, CancellationToken ct)
    {
        if (!options.Value.Enabled) return new View(false, false, null, false, null, null, "");
        var now = clock.GetUtcNow().UtcDateTime;
        var link = await db.LineLinks.AsNoTracking().FirstOrDefaultAsync(l => l.CandidateId == candidateId, ct);
        var code = link is not null ? null : await db.LineLinkCodes.AsNoTracking().Where(c => c.CandidateId == candidateId && c.ExpiresAt > now)
            .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
        return new View(true, link is not null, link?.SealedDisplayName is { } name ? Encoding.UTF8.GetString(PersonalDataCipher.Open(dataKey, name)) : null,
            link?.Notify ?? false, code is null ? null : Encoding.UTF8.GetString(PersonalDataCipher.Open(dataKey, code.SealedCode)), code?.ExpiresAt,
            options.Value.AddFriendUrl);
    }

    /// <summary>A new code for the person (older ones stop working).</summary>
    public async Task<string> NewCodeAsync(string candidateId, byte[] dataKey, CancellationToken ct)
    {
        var code = new string(RandomNumberGenerator.GetItems<char>(CodeAlphabet, CodeLength));
        var now = clock.GetUtcNow().UtcDateTime;
        await gate.RunAsync(db, async t =>
        {
            await db.LineLinkCodes.Where(c => c.CandidateId == candidateId).ExecuteDeleteAsync(t);
            db.LineLinkCodes.Add(new LineLinkCode
            {
                CodeHash = CodeHash(code), CandidateId = candidateId, SealedCode = PersonalDataCipher.Seal(dataKey, Encoding.UTF8.GetBytes(code)),
                ExpiresAt = now + CodeLifetime, CreatedAt = now,
            });
            return 0;
        }, ct);
        return code;
    }

    public Task UnlinkAsync(string candidateId, CancellationToken ct) =>
        gate.RunAsync(db, t => db.LineLinks.Where(l => l.CandidateId == candidateId).ExecuteDeleteAsync(t), ct);

    public Task SetNotifyAsync(string candidateId, bool notify, CancellationToken ct) =>
        gate.RunAsync(db, t => db.LineLinks.Where(l => l.CandidateId == candidateId).ExecuteUpdateAsync(s => s.SetProperty(l => l.Notify, notify), t), ct);

    /// <summary>X-Line-Signature: base64 of HMAC-SHA256 over the raw body with the channel secret, compared in constant time.</summary>
    public static bool SignatureIsValid(string? channelSecret, byte[] body, string? signature)
    {
        if (string.IsNullOrEmpty(channelSecret) || string.IsNullOrEmpty(signature)) return false;
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(channelSecret), body));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>
    /// Handles a verified webhook body: each event once (by <c>webhookEventId</c>). A text message holding a live code binds
    /// its sender; <c>follow</c> is answered with how to link; <c>unfollow</c> unlinks. Anything else is ignored.
    /// </summary>
    public async Task HandleAsync(byte[] body, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(body);
        if (!document.RootElement.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array) return;
        foreach (var e in events.EnumerateArray())
        {
            var eventId = Text(e, "webhookEventId");
            var type = Text(e, "type");
            var userId = e.TryGetProperty("source", out var source) ? Text(source, "userId") : null;
            if (eventId is null || eventId.Length > 100 || type is null || userId is null || userId.Length > 100) continue;
            if (!await FirstTimeAsync(eventId, ct)) continue;
            var replyToken = Text(e, "replyToken");
            switch (type)
            {
                case "unfollow":
                    var hash = UserHash(userId);
                    await gate.RunAsync(db, t => db.LineLinks.Where(l => l.UserIdHash == hash).ExecuteDeleteAsync(t), ct);
                    break;
                case "follow" when replyToken is not null:
                    await client.ReplyAsync(replyToken, Texts.Get("Line.Follow", Lang.Japanese) + "\n\n" + Texts.Get("Line.Follow", Lang.English), ct);
                    break;
                case "message" when e.TryGetProperty("message", out var message) && Text(message, "type") == "text":
                    await LinkAsync(userId, Text(message, "text") ?? "", replyToken, ct);
                    break;
            }
        }
    }

    private async Task LinkAsync(string userId, string text, string? replyToken, CancellationToken ct)
    {
        var typed = new string([.. text.Normalize(NormalizationForm.FormKC).ToUpperInvariant().Where(char.IsLetterOrDigit)]);
        var now = clock.GetUtcNow().UtcDateTime;
        var code = typed.Length == CodeLength
            ? await db.LineLinkCodes.AsNoTracking().FirstOrDefaultAsync(c => c.CodeHash == CodeHash(typed) && c.ExpiresAt > now, ct) : null;
        var opened = code is null ? null : await vault.OpenAsync(db, code.CandidateId, ct);
        if (code is null || opened is null)
        {
            // A linked person writing to the bot is told where conversations happen; anyone else, that the code did not work.
            var linked = await db.LineLinks.Where(l => l.UserIdHash == UserHash(userId)).Select(l => l.CandidateId).FirstOrDefaultAsync(ct);
            if (replyToken is not null)
                await client.ReplyAsync(replyToken, linked is not null && typed.Length != CodeLength
                    ? Texts.Format("Line.NoChat", await notices.LanguageOfAsync(linked, ct), urls.To("/me#messages"))
                    : Texts.Get("Line.BadCode", Lang.Japanese) + "\n\n" + Texts.Get("Line.BadCode", Lang.English), ct);
            return;
        }
        var displayName = await client.DisplayNameAsync(userId, ct);
        var hash = UserHash(userId);
        await gate.RunAsync(db, async t =>
        {
            // One person per LINE account and one LINE account per person: the newest binding wins.
            await db.LineLinks.Where(l => l.UserIdHash == hash || l.CandidateId == code.CandidateId).ExecuteDeleteAsync(t);
            await db.LineLinkCodes.Where(c => c.CandidateId == code.CandidateId).ExecuteDeleteAsync(t);
            db.LineLinks.Add(new LineLink
            {
                CandidateId = code.CandidateId, UserIdHash = hash, SealedUserId = PersonalDataCipher.Seal(opened.DataKey, Encoding.UTF8.GetBytes(userId)),
                SealedDisplayName = displayName is null ? null : PersonalDataCipher.Seal(opened.DataKey, Encoding.UTF8.GetBytes(displayName)),
                Notify = true, LinkedAt = now,
            });
            return 0;
        }, ct);
        logger.LogInformation("LINE linked for candidate {CandidateId}", code.CandidateId);
        if (replyToken is not null)
            await client.ReplyAsync(replyToken, Texts.Get("Line.Linked", await notices.LanguageOfAsync(code.CandidateId, ct)), ct);
    }

    private async Task<bool> FirstTimeAsync(string eventId, CancellationToken ct)
    {
        try
        {
            await gate.RunAsync(db, t =>
            {
                db.LineWebhookEvents.Add(new LineWebhookEvent { EventId = eventId, ReceivedAt = clock.GetUtcNow().UtcDateTime });
                return db.SaveChangesAsync(t);
            }, ct);
            return true;
        }
        catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private string CodeHash(string code) => hasher.Person("line-code:" + code);
    private string UserHash(string userId) => hasher.Person("line-user:" + userId);

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
