using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Education;

/// <summary>
/// 教育機関パートナー: a school (大学・専門学校・高校) or a training provider (リスキリング), a tenant created by the operator. Schools see
/// outcome figures of the graduates who chose to share them; providers publish courses and answer people who asked them.
/// </summary>
public sealed class EducationPartner
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    /// <summary>One of <see cref="EducationKinds"/>.</summary>
    public required string Kind { get; init; }
    public required string ContactEmail { get; set; }
    public DateTime CreatedAt { get; init; }

    public bool IsProvider => Kind == EducationKinds.TrainingProvider;
}

[TextKeys("Education.Kind.{0}")]
public static class EducationKinds
{
    public const string University = "university";
    public const string VocationalSchool = "vocational_school";
    public const string HighSchool = "high_school";
    public const string TrainingProvider = "training_provider";
    public static readonly string[] All = [University, VocationalSchool, HighSchool, TrainingProvider];
    public static readonly string[] Schools = [University, VocationalSchool, HighSchool];

    /// <summary>
    /// Whether a graduate may let this school see them by name. Not a high school: students in school-mediated job hunting are not
    /// served (the landing page's rule), so a high school sees outcome figures only, never a person.
    /// </summary>
    public static bool MaySeeNames(string kind) => kind is University or VocationalSchool;
}

/// <summary>
/// A person's tie to a partner school (a school named in free text lives only in their sealed profile). The school counts them in
/// its outcome figures only while <see cref="ShareOutcomes"/> is on; it sees their name only with <see cref="ShareName"/> too.
/// </summary>
public sealed class SchoolLink
{
    public required string CandidateId { get; init; }
    public required string SchoolId { get; set; }
    /// <summary>卒業年度 (a fiscal year, April–March), as the person gave it; the figures are grouped by it.</summary>
    public int? GraduationYear { get; set; }
    public bool ShareOutcomes { get; set; }
    public bool ShareName { get; set; }
    /// <summary>When the current consent to share outcomes was given (null: not shared).</summary>
    public DateTime? ConsentedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A provider's course (講座). Its skills are what matching and the suggestions compare, as the provider declares them.</summary>
public sealed class Course
{
    public required string Id { get; init; }
    public required string ProviderId { get; init; }
    public required string Title { get; set; }
    public required string Description { get; set; }
    public List<string> Skills { get; set; } = [];
    public int Hours { get; set; }
    public int PriceYen { get; set; }
    /// <summary><see cref="CourseModes"/>.</summary>
    public required string Mode { get; set; }
    /// <summary>Where an in-person course is held (JIS code); null online.</summary>
    public string? Prefecture { get; set; }
    /// <summary>教育訓練給付 eligibility as the provider declares it (we do not check it).</summary>
    public bool BenefitEligible { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? ClosedAt { get; set; }
}

[TextKeys("Course.Mode.{0}")]
public static class CourseModes
{
    public const string Online = "online";
    public const string InPerson = "in_person";
    public static readonly string[] All = [Online, InPerson];

    /// <summary>A course's terms in one line, as the person and the provider read them: 24時間・59,800円・オンライン・教育訓練給付の対象.</summary>
    public static string Terms(int hours, int priceYen, string mode, string? prefecture, bool benefitEligible, string lang) =>
        string.Join("・", new[]
        {
            Texts.Format("Course.Hours", lang, hours),
            priceYen == 0 ? Texts.Get("Course.Free", lang) : Texts.Format("Course.Price", lang, priceYen.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)),
            mode == Online ? Texts.Get("Course.Mode.online", lang) : Texts.Format("Course.InPersonAt", lang, CourseSuggestions.PrefectureName(prefecture, lang)),
            benefitEligible ? Texts.Get("Course.Benefit", lang) : null,
        }.OfType<string>());
}

/// <summary>
/// A person asked a provider about a course (資料請求): what they chose to send is sealed with their key (erasure shreds it) and a
/// provision record says so. The provider may later record a completion on it; it counts only once the person confirms.
/// One per (course, person).
/// </summary>
public sealed class CourseRequest
{
    public required string Id { get; init; }
    public required string CourseId { get; init; }
    public required string ProviderId { get; init; }
    public required string CandidateId { get; init; }
    /// <summary>The items sent (<see cref="Candidates.ProvisionItems"/>), comma-separated: what the provider may see.</summary>
    public required string Items { get; set; }
    /// <summary><see cref="SentDetails"/>, sealed with the person's key.</summary>
    public required byte[] Details { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The day the provider says the person completed the course (null: not recorded).</summary>
    public DateOnly? CompletedOn { get; set; }
    public DateTime? CompletionRecordedAt { get; set; }
    public DateTime? CompletionConfirmedAt { get; set; }
    public DateTime? CompletionDeclinedAt { get; set; }
}

/// <summary>What the person sent with a request: only the fields they ticked are filled.</summary>
public sealed record SentDetails(string? Name, string? Email, string? Phone, string? Message);

/// <summary>
/// A course the person completed and confirmed: its skills count as held (matching reads them), shown to agencies with their source,
/// 「受講修了: course, provider」. Kept in the sealed profile.
/// </summary>
public sealed record CompletedCourse(string RequestId, string Course, string Provider, IReadOnlyList<string> Skills, DateOnly CompletedOn);

// What the education routes take and answer.

public sealed record CreateEducationPartnerRequest(string? Name, string? Kind, string? ContactEmail);
public sealed record EducationPartnerItem(string Id, string Name, string Kind, string ContactEmail, DateTime CreatedAt);

public sealed record CourseRequestBody(string? Title, string? Description, List<string?>? Skills, int? Hours, int? PriceYen, string? Mode,
    string? Prefecture, bool? BenefitEligible);
public sealed record CourseItem(string Id, string Title, string Description, IReadOnlyList<string> Skills, int Hours, int PriceYen, string Mode,
    string? Prefecture, bool BenefitEligible, DateTime CreatedAt, DateTime? ClosedAt, int Requests, int Completions);

/// <summary>A request as the provider sees it: only the fields the person sent (the others null).</summary>
public sealed record CourseRequestItem(string Id, string CourseId, string CourseTitle, IReadOnlyList<string> Sent, string? Name, string? Email,
    string? Phone, string? Message, DateTime CreatedAt, DateOnly? CompletedOn, string Completion);

public sealed record CompletionRequest(string? CompletedOn);

/// <summary>Where a recorded completion stands: none, waiting for the person, confirmed, declined (the person's and the provider's words).</summary>
[TextKeys("Completion.{0}"), TextKeys("Provider.Completion.{0}")]
public static class CompletionStates
{
    public const string None = "none";
    public const string Waiting = "waiting";
    public const string Confirmed = "confirmed";
    public const string Declined = "declined";

    public static string Of(CourseRequest r) => r.CompletionConfirmedAt is not null ? Confirmed : r.CompletionDeclinedAt is not null ? Declined
        : r.CompletionRecordedAt is not null ? Waiting : None;
}
