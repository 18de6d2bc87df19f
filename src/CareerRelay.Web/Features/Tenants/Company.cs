namespace CareerRelay.Web.Features.Tenants;

/// <summary>採用企業: a tenant that rejects candidates, relays them and earns slots.</summary>
public sealed class Company
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string ContactEmail { get; set; }
    /// <summary>The domain of the contact email: a candidate on the company's own domain is a fraud signal.</summary>
    public required string EmailDomain { get; set; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A company's choice of partner agencies (SPEC §4). None chosen: every active agency.</summary>
public sealed class CompanyPartnerAgency
{
    public required string CompanyId { get; init; }
    public required string AgencyId { get; init; }
}
