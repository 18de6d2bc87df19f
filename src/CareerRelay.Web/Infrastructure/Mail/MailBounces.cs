using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Mail;

/// <summary>
/// Bounces reported after the SMTP conversation — by a mail provider's event webhook, or by the operator's own script that
/// reads the bounce mailbox — at <c>POST /mail/bounces</c>: a JSON object or an array of up to 1,000 of
/// <c>{"recipient", "type", "status"}</c> (<c>type</c> "bounce"; <c>status</c> an SMTP code "550" or an enhanced status
/// "5.1.1"). A permanent bounce (5xx / 5.x.x) puts the address on the suppression list exactly like a 550 during the
/// send; a temporary one (4xx) and any other event are counted and ignored. Authenticated by the shared secret
/// <c>Mail:Bounces:WebhookSecret</c>, as a Bearer token or as the password of HTTP Basic (what providers let you put in the
/// URL); without a secret the route does not exist. The address is hashed at once and never stored or logged.
/// </summary>
public static class MailBounces
{
    public const int MaxEvents = 1000;

    public static IEndpointRouteBuilder MapMail(this IEndpointRouteBuilder app)
    {
        // Mail providers call this; it is not part of our API (docs/operations.md describes it).
        app.MapPost("/mail/bounces", ReceiveAsync).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, IOptions<MailOptions> options, CareerRelayDb db, DbWriteGate gate,
        KeyRing keys, TimeProvider clock, ILogger<MailOutboxWorker> logger, CancellationToken ct)
    {
        var secret = options.Value.Bounces.WebhookSecret;
        if (string.IsNullOrEmpty(secret)) return ApiError.NotFound("route").ToResult();
        if (!Authorised(request.Headers.Authorization.ToString(), secret))
            return new ApiError(401, ProblemCodes.Unauthorized, "Unauthorized", "Send Mail:Bounces:WebhookSecret as a Bearer token or as the Basic password.").ToResult();

        List<(string Recipient, string? Type, string? Status)> events;
        try
        {
            using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            events = Read(json.RootElement);
        }
        catch (JsonException)
        {
            return ApiError.Invalid("body", "Validation.BounceReport").ToResult();
        }
        if (events.Count == 0 || events.Count > MaxEvents || events.Any(e => !e.Recipient.Contains('@', StringComparison.Ordinal)))
            return ApiError.Invalid("body", "Validation.BounceReport").ToResult();

        var now = clock.GetUtcNow().UtcDateTime;
        var permanent = events.Where(e => IsPermanent(e.Type, e.Status)).ToList();
        foreach (var (hash, status) in permanent.Select(e => (AddressHash(keys, e.Recipient), e.Status)).DistinctBy(x => x.Item1))
            await SuppressAsync(db, gate, hash, CodeOf(status), now, ct);
        logger.LogInformation("Bounce report: {Permanent} permanent of {Count}", permanent.Count, events.Count);
        return Results.Ok(new { received = events.Count, suppressed = permanent.Count, ignored = events.Count - permanent.Count });
    }

    /// <summary>Lists the address (by its keyed hash) as refusing mail; a second report of it changes nothing.</summary>
    public static async Task SuppressAsync(CareerRelayDb db, DbWriteGate gate, string addressHash, int statusCode, DateTime now, CancellationToken ct)
    {
        try
        {
            await gate.RunAsync(db, async token =>
            {
                if (!await db.MailSuppressions.AnyAsync(x => x.AddressHash == addressHash, token))
                    db.MailSuppressions.Add(new MailSuppression { AddressHash = addressHash, StatusCode = statusCode, CreatedAt = now });
                return 0;
            }, ct);
        }
        catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex)) { } // another node listed it first
    }

    /// <summary>The address's keyed hash, the same as <c>candidates.email_hash</c>.</summary>
    public static string AddressHash(KeyRing keys, string address) =>
        new LookupHasher(keys).Person("email:" + Features.Registrations.PersonIdentity.NormaliseEmail(address));

    private static bool IsPermanent(string? type, string? status) =>
        (type is null || type.Equals("bounce", StringComparison.OrdinalIgnoreCase)) && status is { Length: > 0 } && status[0] == '5';

    /// <summary>"550" stays 550; an enhanced status "5.1.1" is stored as 550, the code a refusing server answers.</summary>
    private static int CodeOf(string? status) =>
        status is { Length: 3 } && int.TryParse(status, out var code) && code is >= 500 and < 600 ? code : 550;

    private static List<(string, string?, string?)> Read(JsonElement root)
    {
        var items = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
        return items.Select(item => item.ValueKind != JsonValueKind.Object ? throw new JsonException()
            : (Text(item, "recipient") ?? Text(item, "email") ?? "", Text(item, "type"), Text(item, "status"))).ToList();

        static string? Text(JsonElement item, string name) =>
            item.TryGetProperty(name, out var value) ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => throw new JsonException(),
            } : null;
    }

    private static bool Authorised(string header, string secret)
    {
        string? presented = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) presented = header[7..].Trim();
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                presented = decoded[(decoded.IndexOf(':') + 1)..];
            }
            catch (FormatException) { }
        }
        return presented is not null
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }
}
