using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CareerRelay.Web.Features.Ats;

/// <summary>
/// The native webhook bodies of Greenhouse and Lever, checked with each system's own signature and read into a
/// <see cref="RejectionEvent"/>. Anything we do not act on parses to null (answered 200, so the ATS does not retry).
/// </summary>
public static class NativeWebhooks
{
    /// <summary>Greenhouse: header <c>Signature: sha256 &lt;hex HMAC-SHA256 of the raw body&gt;</c>.</summary>
    public static bool GreenhouseSignatureValid(byte[] secret, byte[] body, string? header)
    {
        if (header is null || !header.StartsWith("sha256 ", StringComparison.Ordinal)) return false;
        return HexEquals(HMACSHA256.HashData(secret, body), header["sha256 ".Length..].Trim());
    }

    /// <summary>Lever: <c>signature</c> in the body is the hex HMAC-SHA256 of <c>token + triggeredAt</c> with the signature token.</summary>
    public static bool LeverSignatureValid(byte[] secret, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || Text(root, "token") is not { } token || Text(root, "signature") is not { } signature
            || Text(root, "triggeredAt") is not { } triggeredAt) return false;
        return HexEquals(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(token + triggeredAt)), signature);
    }

    /// <summary>
    /// <c>reject_candidate</c> → rejected ("They rejected us" → the candidate withdrew; an agency source → no
    /// invitation); <c>unreject_candidate</c> → unrejected. The event id is the <c>Greenhouse-Event-ID</c> header.
    /// </summary>
    public static RejectionEvent? ReadGreenhouse(JsonElement root, string? eventIdHeader, string lang, DateTime now)
    {
        var action = Text(root, "action");
        if (action is not ("reject_candidate" or "unreject_candidate")) return null;
        var payload = Child(root, "payload");
        var application = Child(payload, "application");
        var applicationId = Text(application, "id");
        if (applicationId is null) return null;
        var candidate = Child(application, "candidate") ?? Child(payload, "candidate");
        var email = Child(candidate, "email_addresses") is { ValueKind: JsonValueKind.Array } emails
            ? emails.EnumerateArray().Select(e => Text(e, "value")).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) : null;
        var name = string.Join(" ", new[] { Text(candidate, "last_name"), Text(candidate, "first_name") }.Where(n => !string.IsNullOrWhiteSpace(n))).Trim();
        var reasonType = Text(Child(Child(application, "rejection_reason"), "type"), "name");
        var source = Child(application, "source");
        var sourceText = $"{Text(Child(source, "type"), "name")} {Text(source, "public_name")}";
        var fromAgency = sourceText.Contains("agenc", StringComparison.OrdinalIgnoreCase) || sourceText.Contains("エージェント") || sourceText.Contains("人材紹介");
        var job = Child(application, "jobs") is { ValueKind: JsonValueKind.Array } jobs ? jobs.EnumerateArray().Select(j => Text(j, "name")).FirstOrDefault() : null;
        var occurred = Time(Text(application, "rejected_at")) ?? now;
        // The stage the application stood in, when its name is one of ours (書類選考 … 内定辞退 or their English names). Greenhouse stage
        // names are each company's own words: any other name is left out, never stored, and the rejection still counts.
        var stage = Links.SelectionStages.FromWords(Text(Child(application, "current_stage"), "name"));
        var eventId = !string.IsNullOrWhiteSpace(eventIdHeader) ? "greenhouse:" + eventIdHeader.Trim() : $"greenhouse:{action}:{applicationId}:{occurred:O}";
        return new RejectionEvent(Clip(eventId), action == "reject_candidate" ? AtsEventTypes.Rejected : AtsEventTypes.Unrejected, Clip(applicationId),
            reasonType?.Contains("They rejected us", StringComparison.OrdinalIgnoreCase) == true ? "candidate_withdrew" : "company_rejected",
            fromAgency ? "agency" : "direct", job is null ? null : Clip(job), occurred, null, lang,
            name.Length is > 0 and <= 200 ? name : null, email is not null && email.Length <= 254 ? email.Trim() : null, AtsSystems.Greenhouse, stage);
    }

    /// <summary>
    /// <c>candidateArchiveChange</c>: archived → rejected, unarchived → unrejected. Lever sends ids only, so no mail:
    /// the answer carries the invitation URL for the company's own Lever template. No stage either: Lever names none in its
    /// webhooks (a stage id at most, whose name only its API knows).
    /// </summary>
    public static RejectionEvent? ReadLever(JsonElement root, DateTime now)
    {
        if (Text(root, "event") != "candidateArchiveChange") return null;
        var data = Child(root, "data");
        var applicationId = Text(data, "opportunityId") ?? Text(data, "candidateId");
        if (applicationId is null) return null;
        var archived = Child(data, "toArchived") is { ValueKind: JsonValueKind.Object };
        var triggered = long.TryParse(Text(root, "triggeredAt"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(ms, 0, 253402300799999)).UtcDateTime : now;
        return new RejectionEvent(Clip("lever:" + (Text(root, "token") ?? $"{applicationId}:{triggered:O}")),
            archived ? AtsEventTypes.Rejected : AtsEventTypes.Unrejected, Clip(applicationId), null, null, null, triggered, null, "ja", null, null, AtsSystems.Lever);
    }

    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null ? child : null;

    private static string? Text(JsonElement? parent, string name) => Child(parent, name) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    private static DateTime? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.UtcDateTime : null;

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200];

    private static bool HexEquals(byte[] expected, string hex)
    {
        if (hex.Length != expected.Length * 2 || !hex.All(Uri.IsHexDigit)) return false;
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(hex));
    }
}
