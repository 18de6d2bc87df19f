namespace CareerRelay.Web.Features.Tenants;

/// <summary>人材紹介会社: a licensed placement agency. Every disclosure field is shown to candidates before consent (職業安定法).</summary>
public sealed class Agency
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string LicenseNumber { get; set; }
    public required string ContactEmail { get; set; }
    public List<string> Occupations { get; set; } = [];
    public required string Fees { get; set; }
    /// <summary>The fee table's refund rule (返金規定), "1:80,3:50": see <see cref="Tenants.RefundRule"/>. Null: none stated.</summary>
    public string? RefundRule { get; set; }
    public required string ComplaintContact { get; set; }
    public required string PrivacyPolicyUrl { get; set; }
    public DateOnly? LicenseExpiresOn { get; set; }
    public DateTime? SuspendedAt { get; set; }
    public DateTime CreatedAt { get; init; }

    public bool IsActiveOn(DateOnly today) => SuspendedAt is null && (LicenseExpiresOn is null || LicenseExpiresOn >= today);
}
