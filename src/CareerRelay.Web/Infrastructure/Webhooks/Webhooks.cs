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
public sealed class Webhooks(KeyRing keys, IOptions<WebhookOptions> options, TimeProvider clock)
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
            v.Add("url", "Give an absolute https URL.");
        var chosen = (events ?? []).Where(e => e is not null).Select(e => e!).Distinct().ToList();
        if (chosen.Count == 0 || chosen.Any(e => !allowedEvents.Contains(e))) v.Add("events", $"Choose one or more of {string.Join(", ", allowedEvents)}.");
        if (!v.IsValid) return v.ToError();

        var refusal = await RefusalAsync(uri!, ct);
        if (refusal is not null) return ApiError.Validation("url", refusal);
        if (uri!.Scheme == "http" && !options.Value.AllowPrivateNetworks) return ApiError.Validation("url", "Webhook URLs must use https.");

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

    /// <summary>Why an address may not receive webhooks (null: it may). Resolved now and again at every connection.</summary>
    public async Task<string?> RefusalAsync(Uri uri, CancellationToken ct)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.Host, ct);
        }
        catch (SocketException)
        {
            return "The host name does not resolve.";
        }
        foreach (var address in addresses)
            if (RefusalFor(address, options.Value.AllowPrivateNetworks) is { } reason) return reason;
        return addresses.Length == 0 ? "The host name does not resolve." : null;
    }

    public static string? RefusalFor(IPAddress address, bool allowPrivate)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var b = address.GetAddressBytes();
        var metadata = address.Equals(IPAddress.Parse("169.254.169.254")) || address.Equals(IPAddress.Parse("fd00:ec2::254"))
            || address.Equals(IPAddress.Parse("100.100.100.200"));
        if (metadata) return "Cloud metadata addresses never receive webhooks.";
        var linkLocal = (address.AddressFamily == AddressFamily.InterNetwork && b[0] == 169 && b[1] == 254) || address.IsIPv6LinkLocal;
        if (linkLocal) return "Link-local addresses never receive webhooks.";
        var isPrivate = IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || (address.AddressFamily == AddressFamily.InterNetwork && (b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] == 0))
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && (b[0] & 0xfe) == 0xfc);
        return isPrivate && !allowPrivate ? "Loopback and private addresses do not receive webhooks." : null;
    }
}

public static class WebhookServices
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration("Webhooks");
        builder.Services.AddSingleton<Webhooks>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return builder;
    }
}

/// <summary>The events agencies may subscribe to (SPEC §6): ids only, never personal data.</summary>
public static class AgencyEvents
{
    public const string CandidateConsented = "candidate.consented";
    public const string CandidateWithdrew = "candidate.withdrew";
    public const string CandidateErased = "candidate.erased";
    public const string RedemptionOpened = "redemption.opened";
    public static readonly string[] All = [CandidateConsented, CandidateWithdrew, CandidateErased, RedemptionOpened];
}
