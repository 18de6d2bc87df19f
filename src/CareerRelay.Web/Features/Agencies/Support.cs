using CareerRelay.Web.Infrastructure.Localization;
namespace CareerRelay.Web.Features.Agencies;

/// <summary>The support pipeline (連絡 → 面談 → 紹介 → 内定 → 入社 / 終了), as event types of SPEC §6.</summary>
[TextKeys("Stage.{0}")]
public static class PipelineStages
{
    public const string New = "new";
    public const string Contacted = "contacted";
    public const string Interviewed = "interviewed";
    public const string Introduced = "introduced";
    public const string Offered = "offered";
    public const string Placed = "placed";
    public const string Closed = "closed";

    /// <summary>The event types an agency may record, in pipeline order.</summary>
    public static readonly string[] Events = [Contacted, Interviewed, Introduced, Offered, Placed, Closed];

    /// <summary>The board's columns: not yet contacted, then each stage.</summary>
    public static readonly string[] Board = [New, .. Events];
}

/// <summary>One step an agency recorded for a candidate. The note is sealed with the candidate's key (erasure shreds it).</summary>
public sealed class PipelineEvent
{
    public required string Id { get; init; }
    public required string AgencyId { get; init; }
    public required string CandidateId { get; init; }
    public required string Type { get; init; }
    public byte[]? Note { get; init; }
    public string? JobId { get; init; }
    /// <summary>Who recorded it: an agency user id or "key:{apiKeyId}".</summary>
    public required string ActorId { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A candidate's place in one agency's pipeline: the current stage and when first contact happened.</summary>
public sealed class AgencyCandidate
{
    public required string AgencyId { get; init; }
    public required string CandidateId { get; init; }
    public required string Stage { get; set; }
    public DateTime? FirstContactedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>What a placement's contract is, for the agency's legal figures (無期雇用 / 有期雇用).</summary>
[TextKeys("PlacementEmployment.{0}")]
public static class PlacementEmployment
{
    /// <summary>正社員・無期契約.</summary>
    public const string Indefinite = "indefinite";
    /// <summary>有期契約.</summary>
    public const string FixedTerm = "fixed_term";
    public static readonly string[] All = [Indefinite, FixedTerm];

    /// <summary>The job's employment type, when it says which: a full-time job is indefinite, a contract or temporary one fixed-term.</summary>
    public static string? FromJob(string? jobEmploymentType) => jobEmploymentType switch
    {
        "full_time" => Indefinite,
        "contract" or "temporary" => FixedTerm,
        _ => null,
    };
}

/// <summary>
/// 入社 / 成約: identified by (agency, candidate, job — or hiring company name): the same again is the same
/// placement. Records which company referred the candidate, for its placement reward and its summary.
/// </summary>
public sealed class Placement
{
    public required string Id { get; init; }
    public required string AgencyId { get; init; }
    public required string CandidateId { get; init; }
    public string? JobId { get; init; }
    /// <summary>The hiring company when the job is one of ours.</summary>
    public string? CompanyId { get; init; }
    public string? HiringCompanyName { get; init; }
    public DateOnly StartDate { get; init; }
    /// <summary><c>indefinite</c> (正社員・無期) or <c>fixed_term</c>; from the job when it says, else as the agency recorded it (null: not stated).</summary>
    public string? EmploymentType { get; init; }
    public string? RedemptionId { get; init; }
    /// <summary>The company whose relay link brought the candidate (null when none did).</summary>
    public string? ReferringCompanyId { get; init; }
    public required string BusinessKey { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>Where an introduction stands: waiting for the person, agreed (the company received the profile) or declined.</summary>
[TextKeys("Me.Introduction.{0}"), TextKeys("Agency.Introduction.{0}")]
public static class IntroductionStatus
{
    public const string Pending = "pending";
    public const string Consented = "consented";
    public const string Declined = "declined";
}

/// <summary>
/// An agency's proposal to introduce a candidate to a partner company's job. Nothing reaches the company
/// until the candidate agrees on their page; then the company sees the profile and a provision record is written.
/// </summary>
public sealed class Introduction
{
    public required string Id { get; init; }
    public required string AgencyId { get; init; }
    public required string CandidateId { get; init; }
    public required string JobId { get; init; }
    public required string CompanyId { get; init; }
    /// <summary>One of <see cref="IntroductionStatus"/>.</summary>
    public required string Status { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DecidedAt { get; set; }
}

// What the routes in AgencyEndpoints take and answer.

public sealed record CandidateItem(string Id, string Name, string Email, string? Phone, string? Prefecture, IReadOnlyList<string> Skills,
    string Stage, DateTime RegisteredAt);

public sealed record IntroductionRequest(string? JobId);

public sealed record AgencyJobItem(string Id, string CompanyId, string CompanyName, string Title, string Description, string Prefecture,
    IReadOnlyList<string> Skills, string EmploymentType, int? SalaryMin, int? SalaryMax, DateTime CreatedAt,
    string? OccupationCode, IReadOnlyList<string> PreferredSkills, bool RemoteAllowed, int? YearsRequired)
{
    public static AgencyJobItem From(Jobs.Job j, string companyName) =>
        new(j.Id, j.CompanyId, companyName, j.Title, j.Description, j.Prefecture, j.Skills, j.EmploymentType, j.SalaryMin, j.SalaryMax, j.CreatedAt,
            j.OccupationCode, j.PreferredSkills, j.RemoteAllowed, j.YearsRequired);
}

public sealed record MatchItem(string CandidateId, double Score, IReadOnlyList<string> Reasons);

// What the routes in AgencyWork take and answer.

public sealed record EventRequest(string? Type, string? Note, string? JobId);

public sealed record EventItem(string Id, string CandidateId, string Type, string? Note, string? JobId, DateTime CreatedAt);

public sealed record PlacementRequest(string? CandidateId, string? JobId, string? HiringCompanyName, string? StartDate, string? RedemptionId,
    string? EmploymentType = null);

public sealed record PlacementItem(string Id, string CandidateId, string? JobId, string? HiringCompanyName, DateOnly StartDate,
    string? RedemptionId, bool FeeWaived, DateTime CreatedAt, string? EmploymentType);

public sealed record InboxItem(string Id, string JobId, string JobTitle, string CompanyName, string Status, bool AcceptedByYou, DateTime CreatedAt);

public sealed record IntroductionItem(string Id, string CandidateId, string JobId, string Status, DateTime CreatedAt);
