namespace CareerRelay.Web.Features.CompanyConsole;

public static class ConsoleRoles
{
    /// <summary>Everything, including API keys, webhooks and users.</summary>
    public const string Admin = "admin";
    /// <summary>Day-to-day work: links, templates, jobs, redemptions, reports.</summary>
    public const string Member = "member";
}

/// <summary>A person at a company who signs in to the console (by an emailed link; no password to leak).</summary>
public sealed class CompanyUser
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    /// <summary>Normalised (trimmed, NFKC, lower-case); unique across the platform so a sign-in finds one tenant.</summary>
    public required string Email { get; init; }
    public required string Role { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? LastSignInAt { get; set; }
    public DateTime? DisabledAt { get; set; }
}

/// <summary>A single-use sign-in link, stored hashed, valid for 15 minutes.</summary>
public sealed class SignInToken
{
    public required string TokenHash { get; init; }
    public required string UserId { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime? UsedAt { get; set; }
}
