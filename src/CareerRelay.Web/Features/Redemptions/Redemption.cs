using CareerRelay.Web.Infrastructure.Localization;
namespace CareerRelay.Web.Features.Redemptions;

[TextKeys("RedemptionStatus.{0}")]
public static class RedemptionStatus
{
    public const string Open = "open";
    public const string Cancelled = "cancelled";
    public const string Fulfilled = "fulfilled";
}

/// <summary>利用: a company spending one slot on one of its open jobs.</summary>
public sealed class Redemption
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string JobId { get; init; }
    public required string Status { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? CancelledAt { get; set; }
    public DateTime? FulfilledAt { get; set; }
    /// <summary>The placement that fulfilled it (fee waived).</summary>
    public string? PlacementId { get; set; }
    /// <summary>The agency that accepted it from its inbox, before proposing candidates.</summary>
    public string? AcceptedByAgencyId { get; set; }
}

// What the routes in RedemptionEndpoints take and answer.

public sealed record RedemptionRequest(string? JobId);

public sealed record RedemptionItem(string Id, string JobId, string Status, DateTime CreatedAt, DateTime? CancelledAt, DateTime? FulfilledAt);
