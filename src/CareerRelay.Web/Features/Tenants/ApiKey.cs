using CareerRelay.Web.Infrastructure.Localization;
namespace CareerRelay.Web.Features.Tenants;

public static class Roles
{
    public const string Operator = "operator";
    public const string Company = "company";
    public const string Agency = "agency";
    /// <summary>A school (大学・専門学校・高校): its graduates' outcome figures.</summary>
    public const string School = "school";
    /// <summary>A training provider: its courses, the people who asked about them, completions.</summary>
    public const string Provider = "provider";
}

[TextKeys("Scope.{0}")]
public static class KeyScopes
{
    /// <summary>GET only: reports, dashboards, BI tools.</summary>
    public const string Read = "read";
    /// <summary>Everything the role may do.</summary>
    public const string Write = "write";
    public static readonly string[] All = [Read, Write];
}

/// <summary>An API key: shown once, stored as a hash, scoped to one tenant and one role, read-only or read-write.</summary>
public sealed class ApiKey
{
    public required string Id { get; init; }
    public required string Role { get; init; }
    /// <summary>The company's, agency's or education partner's id; the fixed value "operator" for operator keys.</summary>
    public required string TenantId { get; init; }
    public required string KeyHash { get; init; }
    /// <summary>The first characters of the key, so a person can tell keys apart without seeing one.</summary>
    public required string Prefix { get; init; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? RevokedAt { get; set; }
    /// <summary><c>read</c> or <c>write</c>.</summary>
    public string Scope { get; init; } = KeyScopes.Write;
    /// <summary>Set when the key was rotated: it keeps working until then, so the integration can switch without downtime.</summary>
    public DateTime? ExpiresAt { get; set; }
    /// <summary>Last authenticated use, written at most once a minute per key (see <c>ApiKeyAuthenticationHandler</c>).</summary>
    public DateTime? LastUsedAt { get; set; }
}
