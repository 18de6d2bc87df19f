namespace CareerRelay.Web.Features.Links;

/// <summary>専用リンク: a company's reusable link, printed in rejection emails. Its token is not a secret.</summary>
public sealed class RelayLink
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string Token { get; init; }
    public required string Label { get; set; }
    public bool Paused { get; set; }
    /// <summary>Filtered, per-visitor-deduplicated clicks; a funnel figure only, never a reason for a slot.</summary>
    public long Clicks { get; set; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A link's clicks on one Japan-time day: the rollup behind the weekly trend and the monthly report.</summary>
public sealed class LinkClickDay
{
    public required string LinkId { get; init; }
    public DateOnly Day { get; init; }
    public required string CompanyId { get; init; }
    public long Clicks { get; set; }
}

/// <summary>個別招待: a single-use link minted for one rejected application. Holds no personal data.</summary>
public sealed class Invitation
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string LinkId { get; init; }
    public required string TokenHash { get; init; }
    public string? ExternalRef { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? UsedAt { get; set; }
    public string? RegistrationId { get; set; }
}

// What the routes in LinkEndpoints take and answer.

public sealed record CreateLinkRequest(string? Label);

public sealed record LinkCreated(string Id, string Token, string Url, string Label);

public sealed record LinkItem(string Id, string Token, string Url, string Label, bool Paused, long Clicks, int Registrations,
    int QualifiedReferrals, DateTime CreatedAt);

public sealed record InvitationRequest(string? LinkId, int? Count, List<string?>? ExternalRefs);

public sealed record InvitationItem(string? ExternalRef, string Token, string Url);

public sealed record InvitationsCreated(IReadOnlyList<InvitationItem> Invitations);

public sealed record EmailTemplate(string Subject, string Body);
