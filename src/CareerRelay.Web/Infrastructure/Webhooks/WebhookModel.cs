using CareerRelay.Web.Infrastructure.Localization;
namespace CareerRelay.Web.Infrastructure.Webhooks;

public sealed class WebhookOptions
{
    /// <summary>Allow delivery to loopback and private addresses (local development and tests). Cloud metadata addresses never.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Deliver from the background loop (every second). Off only where something else drives delivery (tests).</summary>
    public bool BackgroundDispatch { get; set; } = true;
}

/// <summary>A tenant's webhook endpoint: where to POST which events, signed with its own secret (Standard Webhooks).</summary>
public sealed class WebhookEndpoint
{
    public required string Id { get; init; }
    /// <summary><c>company</c> or <c>agency</c>.</summary>
    public required string TenantType { get; init; }
    public required string TenantId { get; init; }
    public required string Url { get; init; }
    /// <summary>The signing secret, sealed with the system key.</summary>
    public required byte[] Secret { get; init; }
    /// <summary>Comma-separated event types.</summary>
    public required string Events { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>Set after sustained failure (every retry of a delivery failed); the tenant is mailed.</summary>
    public DateTime? DisabledAt { get; set; }
}

[TextKeys("DeliveryStatus.{0}")]
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>One event to one endpoint: the outbox row the dispatcher works through, and the delivery log the tenant reads.</summary>
public sealed class WebhookDelivery
{
    public required string Id { get; init; }
    public required string EndpointId { get; init; }
    /// <summary>The <c>webhook-id</c>: the same for every retry, so receivers can drop duplicates.</summary>
    public required string EventId { get; init; }
    public required string Type { get; init; }
    /// <summary>The JSON body: <c>{type, timestamp, data}</c> with ids only, never personal data.</summary>
    public required string Payload { get; init; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DeliveredAt { get; set; }
}

// What the routes in WebhookRoutes take and answer.

public sealed record WebhookRequest(string? Url, List<string?>? Events);

public sealed record WebhookCreated(string Id, string Url, IReadOnlyList<string> Events, string Secret);

public sealed record WebhookItem(string Id, string Url, IReadOnlyList<string> Events, DateTime CreatedAt, DateTime? DisabledAt);

public sealed record DeliveryItem(string Id, string EventId, string Type, string Status, int Attempts, int? LastStatusCode, string? LastError,
    DateTime CreatedAt, DateTime? DeliveredAt);
