using CareerRelay.Web.Infrastructure.Localization;
namespace CareerRelay.Web.Features.Jobs;

public static class EmploymentTypes
{
    [TextKeys("EmploymentType.{0}")]
    public static readonly string[] All = ["full_time", "part_time", "contract", "temporary", "internship"];
}

/// <summary>求人: an opening posted by a company.</summary>
public sealed class Job
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string Title { get; set; }
    public required string Description { get; set; }
    public required string Prefecture { get; set; }
    /// <summary>Required skills (必須).</summary>
    public List<string> Skills { get; set; } = [];
    /// <summary>Preferred skills (歓迎): a plus in matching, never a condition.</summary>
    public List<string> PreferredSkills { get; set; } = [];
    public bool RemoteAllowed { get; set; }
    /// <summary>Years of relevant experience asked for (目安), if any.</summary>
    public int? YearsRequired { get; set; }
    public required string EmploymentType { get; set; }
    public string? OccupationCode { get; set; }
    public int? SalaryMin { get; set; }
    public int? SalaryMax { get; set; }
    /// <summary><c>open</c> or <c>closed</c>.</summary>
    public required string Status { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

// What the routes in JobEndpoints take and answer.

public sealed record JobRequest(string? Title, string? Description, string? Prefecture, List<string?>? Skills, string? EmploymentType,
    string? OccupationCode, int? SalaryMin, int? SalaryMax, List<string?>? PreferredSkills = null, bool? RemoteAllowed = null, int? YearsRequired = null);

public sealed record JobItem(string Id, string Title, string Description, string Prefecture, IReadOnlyList<string> Skills,
    string EmploymentType, string? OccupationCode, int? SalaryMin, int? SalaryMax, string Status, DateTime CreatedAt,
    IReadOnlyList<string> PreferredSkills, bool RemoteAllowed, int? YearsRequired);
