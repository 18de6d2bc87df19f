using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>同意: permission to hand this candidate's data to one named agency, under one notice version.</summary>
public sealed class Consent
{
    public required string Id { get; init; }
    public required string CandidateId { get; init; }
    public required string RegistrationId { get; init; }
    public required string AgencyId { get; init; }
    public int NoticeVersion { get; init; }
    public DateTime GivenAt { get; init; }
    public required string IpHash { get; init; }
    public DateTime? WithdrawnAt { get; set; }
}

/// <summary>第三者提供記録 (APPI art. 29/30): who handed which items to whom, on what basis, when. Kept 3 years, pseudonymous.</summary>
public sealed class ProvisionRecord
{
    public required string Id { get; init; }
    public required string CandidateId { get; init; }
    public required string RecipientType { get; init; }
    public required string RecipientId { get; init; }
    public required string Items { get; init; }
    public required string Basis { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>
/// The items a provision record may name (field names, never values). The person reads them on /me and the operator in the
/// records, each in their language (<c>Item.{name}</c>).
/// </summary>
[TextKeys("Item.{0}")]
public static class ProvisionItems
{
    public const string Name = "name";
    public const string Email = "email";
    public const string NameKana = "nameKana";
    public const string Phone = "phone";
    public const string Prefecture = "prefecture";
    public const string DesiredOccupation = "desiredOccupation";
    public const string Skills = "skills";
    public const string WorkHistory = "workHistory";
    public const string CareerSummary = "careerSummary";
    /// <summary>The school the person named, and the courses they completed and confirmed (Features/Education).</summary>
    public const string School = "school";
    public const string CompletedCourses = "completedCourses";
    /// <summary>A referred person's message to the company.</summary>
    public const string Message = "message";
    // What an alumnus may share with their former company (Features/Alumni).
    public const string JoinedYear = "joinedYear";
    public const string LeftYear = "leftYear";
    public const string LastRole = "lastRole";
    public const string OpenTo = "openTo";

    public static string Join(IEnumerable<string> items) => string.Join(",", items);
    public static string[] Split(string items) => items.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>The legal basis of a hand-over (APPI art. 27: the person's consent).</summary>
[TextKeys("Basis.{0}")]
public static class ProvisionBasis
{
    public const string Consent = "consent";
}

/// <summary>A read of a candidate's personal data by a company or agency (who, what, when).</summary>
public sealed class AuditEntry
{
    public required string Id { get; init; }
    public required string ActorType { get; init; }
    public required string ActorId { get; init; }
    public required string Action { get; init; }
    public required string CandidateId { get; init; }
    public DateTime CreatedAt { get; init; }
}
