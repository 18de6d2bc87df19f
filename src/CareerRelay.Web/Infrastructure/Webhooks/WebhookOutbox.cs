using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Webhooks;

/// <summary>
/// Outbound webhooks per the Standard Webhooks specification: <c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>, secrets as <c>whsec_…</c>.
/// Events are queued in the caller's transaction (an outbox), so an event exists exactly when its cause does.
/// </summary>
public sealed class WebhookOutbox(KeyRing keys, IOptions<WebhookOptions> options, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Registered(WebhookEndpoint Endpoint, string Secret);

    /// <summary>Checks the address (https, or http to a private network when allowed; never cloud metadata) and creates the endpoint.</summary>
    public async Task<Result<Registered>> RegisterAsync(CareerRelayDb db, string tenantType, string tenantId, string? url, IReadOnlyCollection<string?>? events,
        IReadOnlyCollection<string> allowedEvents, CancellationToken ct)
    {
        var v = new Validation();
        var address = v.Required("url", url, 2000);
        Uri? uri = null;
        if (address.Length > 0 && (!Uri.TryCreate(address, UriKind.Absolute, out uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo)))
            v.Add("url", "Error.WebhookUrl");
        var chosen = (events ?? []).Where(e => e is not null).Select(e => e!).Distinct().ToList();
        if (chosen.Count == 0 || chosen.Any(e => !allowedEvents.Contains(e))) v.Add("events", "Error.Events", string.Join(", ", allowedEvents));
        if (!v.IsValid) return v.ToError();

        var refusal = await RefusalAsync(uri!, ct);
        if (refusal is not null) return ApiError.Invalid("url", refusal);
        if (uri!.Scheme == "http" && !options.Value.AllowPrivateNetworks) return ApiError.Invalid("url", "Error.WebhookHttps");

        var secret = RandomNumberGenerator.GetBytes(32);
        var endpoint = new WebhookEndpoint
        {
            Id = Ids.New(), TenantType = tenantType, TenantId = tenantId, Url = uri.ToString(), Secret = PersonalDataCipher.Seal(keys.SystemDataKey, secret),
            Events = string.Join(",", chosen), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.WebhookEndpoints.Add(endpoint);
        return new Registered(endpoint, "whsec_" + Convert.ToBase64String(secret));
    }

    /// <summary>Queues the event for every enabled endpoint of the tenant that subscribed to it, inside the caller's transaction.</summary>
    public async Task EnqueueAsync(CareerRelayDb db, string tenantType, string tenantId, string type, object data, CancellationToken ct)
    {
        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.TenantType == tenantType && e.TenantId == tenantId && e.DisabledAt == null).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var endpoint in endpoints.Where(e => e.Events.Split(',').Contains(type)))
        {
            db.WebhookDeliveries.Add(NewDelivery(endpoint.Id, "msg_" + Ids.New(), type, JsonSerializer.Serialize(new { type, timestamp = now, data }, Json), now));
        }
    }

    public const string TestEvent = "webhook.test";

    /// <summary>Queues a <c>webhook.test</c> event to one endpoint, whatever it subscribed to: the test-send button.</summary>
    public WebhookDelivery QueueTest(CareerRelayDb db, WebhookEndpoint endpoint)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var delivery = NewDelivery(endpoint.Id, "msg_" + Ids.New(), TestEvent,
            JsonSerializer.Serialize(new { type = TestEvent, timestamp = now, data = new { endpointId = endpoint.Id } }, Json), now);
        db.WebhookDeliveries.Add(delivery);
        return delivery;
    }

    /// <summary>Sends an event again as a new delivery with the same <c>webhook-id</c> and body, so receivers still recognise a duplicate.</summary>
    public WebhookDelivery QueueRedelivery(CareerRelayDb db, WebhookDelivery original)
    {
        var delivery = NewDelivery(original.EndpointId, original.EventId, original.Type, original.Payload, clock.GetUtcNow().UtcDateTime);
        db.WebhookDeliveries.Add(delivery);
        return delivery;
    }

    private static WebhookDelivery NewDelivery(string endpointId, string eventId, string type, string payload, DateTime now) => new()
    {
        Id = Ids.New(), EndpointId = endpointId, EventId = eventId, Type = type, Payload = payload,
        Status = DeliveryStatus.Pending, NextAttemptAt = now, CreatedAt = now,
    };

    public byte[] SecretOf(WebhookEndpoint endpoint) => PersonalDataCipher.Open(keys.SystemDataKey, endpoint.Secret);

    /// <summary>The Standard Webhooks signature header value.</summary>
    public static string Sign(byte[] secret, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));

    /// <summary>Why an address may not receive webhooks, as a text key (null: it may). Resolved now and again at every connection.</summary>
    public async Task<string?> RefusalAsync(Uri uri, CancellationToken ct)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.Host, ct);
        }
        catch (SocketException)
        {
            return "Error.WebhookResolve";
        }
        foreach (var address in addresses)
            if (RefusalFor(address, options.Value.AllowPrivateNetworks) is { } reason) return reason;
        return addresses.Length == 0 ? "Error.WebhookResolve" : null;
    }

    /// <summary>
    /// Why this address may not receive webhooks, as a text key (null: it may), at registration and again at every connection. An IPv6 address
    /// that carries an IPv4 one — mapped, compatible, SIIT-translated, NAT64 (64:ff9b::/96), 6to4 (2002::/16) or Teredo — is
    /// judged by the IPv4 address it reaches: [64:ff9b::a9fe:a9fe] is the cloud metadata service through a NAT64 gateway.
    /// </summary>
    public static string? RefusalFor(IPAddress address, bool allowPrivate)
    {
        foreach (var reached in Reaches(address))
        {
            var b = reached.GetAddressBytes();
            var v4 = reached.AddressFamily == AddressFamily.InterNetwork;
            var metadata = reached.Equals(CloudMetadata) || reached.Equals(AwsMetadataV6) || reached.Equals(AlibabaMetadata);
            if (metadata) return "Error.WebhookMetadata";
            var linkLocal = (v4 && b[0] == 169 && b[1] == 254) || reached.IsIPv6LinkLocal;
            if (linkLocal) return "Error.WebhookLinkLocal";
            var notUnicast = v4 ? b[0] >= 224 : b[0] == 0xff; // multicast, reserved, broadcast
            if (notUnicast) return "Error.WebhookReserved";
            var isPrivate = IPAddress.IsLoopback(reached) || reached.Equals(IPAddress.Any) || reached.Equals(IPAddress.IPv6Any)
                || (v4 && (b[0] is 0 or 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)))
                || (!v4 && ((b[0] & 0xfe) == 0xfc || reached.IsIPv6SiteLocal || IsLocalNat64(b)));
            if (isPrivate && !allowPrivate) return "Error.WebhookPrivate";
        }
        return null;
    }

    private static readonly IPAddress CloudMetadata = IPAddress.Parse("169.254.169.254");
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");
    private static readonly IPAddress AlibabaMetadata = IPAddress.Parse("100.100.100.200");

    /// <summary>The address itself and, for an IPv6 address that embeds one, the IPv4 address a packet to it ends up at.</summary>
    private static IEnumerable<IPAddress> Reaches(IPAddress address)
    {
        yield return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (address.AddressFamily != AddressFamily.InterNetworkV6) yield break;
        var b = address.GetAddressBytes();
        IPAddress V4(int at, byte mask = 0) => new([(byte)(b[at] ^ mask), (byte)(b[at + 1] ^ mask), (byte)(b[at + 2] ^ mask), (byte)(b[at + 3] ^ mask)]);
        bool Zero(int from, int to) => b.AsSpan(from, to - from).IndexOfAnyExcept((byte)0) < 0;
        // ::a.b.c.d (IPv4-compatible; :: and ::1 land in 0.0.0.0/8, refused like themselves) and ::ffff:0:a.b.c.d (SIIT, RFC 7915).
        if (Zero(0, 12)) yield return V4(12);
        if (Zero(0, 8) && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0) yield return V4(12);
        // 64:ff9b::/96, the well-known NAT64 prefix (RFC 6052).
        if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && Zero(4, 12)) yield return V4(12);
        // 2002:a.b.c.d::/48, 6to4 (RFC 3056).
        if (b[0] == 0x20 && b[1] == 0x02) yield return V4(2);
        // 2001:0::/32, Teredo (RFC 4380): the server, and the client address stored inverted.
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
        {
            yield return V4(4);
            yield return V4(12, 0xff);
        }
    }

    /// <summary>64:ff9b:1::/48, the NAT64 prefix for local use (RFC 8215): it reaches whatever the local network's gateway decides.</summary>
    private static bool IsLocalNat64(byte[] b) => b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0 && b[5] == 1;
}

/// <summary>The events agencies may subscribe to (SPEC §6): ids only, never personal data.</summary>
public static class AgencyEvents
{
    public const string CandidateConsented = "candidate.consented";
    public const string CandidateWithdrew = "candidate.withdrew";
    public const string CandidateErased = "candidate.erased";
    public const string RedemptionOpened = "redemption.opened";
    /// <summary>The person wrote to the agency (ids only; the text is read through the API, audited).</summary>
    public const string MessageReceived = "message.received";
    /// <summary>The person chose one of the proposed 面談 times, or asked for other times.</summary>
    public const string InterviewAnswered = "interview.answered";
    public static readonly string[] All = [CandidateConsented, CandidateWithdrew, CandidateErased, RedemptionOpened, MessageReceived, InterviewAnswered];
}
