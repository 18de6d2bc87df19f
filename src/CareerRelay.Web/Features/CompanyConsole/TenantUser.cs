using CareerRelay.Web.Infrastructure.Localization;
namespace CareerRelay.Web.Features.CompanyConsole;

[TextKeys("Role.{0}")]
public static class ConsoleRoles
{
    /// <summary>Everything, including API keys, webhooks and users.</summary>
    public const string Admin = "admin";
    /// <summary>Day-to-day work: links, templates, jobs, redemptions, reports.</summary>
    public const string Member = "member";
}

public static class TenantTypes
{
    public const string Company = "company";
    public const string Agency = "agency";
    /// <summary>A school's people: /school.</summary>
    public const string School = "school";
    /// <summary>A training provider's people: /provider.</summary>
    public const string Provider = "provider";
    public static readonly string[] All = [Company, Agency, School, Provider];

    /// <summary>Where each side's people land after signing in.</summary>
    public static string Home(string tenantType) => tenantType switch
    {
        Agency => "/agency",
        School => "/school",
        Provider => "/provider",
        _ => "/console",
    };
}

/// <summary>
/// A person at a company, an agency or an education partner who signs in by an emailed link (no password to leak): company
/// users reach the console at /console, agency users the workspace at /agency, schools /school, providers /provider — one sign-in.
/// </summary>
public sealed class TenantUser
{
    public required string Id { get; init; }
    /// <summary>One of <see cref="TenantTypes"/>.</summary>
    public string TenantType { get; init; } = TenantTypes.Company;
    /// <summary>The company's, agency's or education partner's id: the tenant every page of this person is filtered by.</summary>
    public required string TenantId { get; init; }
    /// <summary>Normalised (trimmed, NFKC, lower-case); unique across the platform so a sign-in finds one tenant.</summary>
    public required string Email { get; init; }
    public required string Role { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? LastSignInAt { get; set; }
    public DateTime? DisabledAt { get; set; }
    /// <summary>The TOTP shared secret, sealed with the system key; set while enrolling and while enabled.</summary>
    public byte[]? TotpSecret { get; set; }
    /// <summary>When two-factor sign-in was switched on (null: off, or enrolment not yet confirmed).</summary>
    public DateTime? TotpEnabledAt { get; set; }
    /// <summary>The last accepted time step: a code works once, so a code seen over a shoulder cannot be replayed.</summary>
    public long? TotpLastStep { get; set; }
}

/// <summary>A single-use sign-in link, stored hashed, valid for 15 minutes.</summary>
public sealed class SignInToken
{
    public const int MaxCodeAttempts = 5;
    public required string TokenHash { get; init; }
    public required string UserId { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime? UsedAt { get; set; }
    /// <summary>Wrong two-factor codes entered with this link; at <see cref="MaxCodeAttempts"/> the link is spent.</summary>
    public int CodeAttempts { get; set; }
}
