using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
namespace CareerRelay.Web.Features.Candidates;

/// <summary>
/// 候補者. Personal data lives only in <see cref="Profile"/>, sealed with the candidate's own data key
/// (<see cref="CandidateKey"/>); everything else in the database refers to the pseudonymous id.
/// </summary>
public sealed class Candidate
{
    public required string Id { get; init; }
    /// <summary>HMAC of the normalised email: finds the person again without storing the address in clear.</summary>
    public required string EmailHash { get; init; }
    public string? PhoneHash { get; set; }
    public required byte[] Profile { get; set; }
    /// <summary>Opt-in to non-transactional mail (job recommendations, surveys); off until the candidate turns it on.</summary>
    public bool RecommendationMails { get; set; }
    /// <summary>Opt-in to course suggestions on /me (Features/Education); off until the person turns it on.</summary>
    public bool CourseSuggestions { get; set; }
    /// <summary>When the last weekly job alert was considered for this person (sent or not).</summary>
    public DateTime? LastJobAlertAt { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>The candidate's data key, wrapped. Deleting this row crypto-shreds every copy of their data.</summary>
public sealed class CandidateKey
{
    public required string CandidateId { get; init; }
    public required byte[] WrappedKey { get; init; }
}

/// <summary>The decrypted profile. Never logged, never in a URL, never in a company response.</summary>
/// <remarks>Fields added later have defaults, so profiles sealed before they existed still open. <c>PendingSchool</c> is only ever set in a
/// registration's submitted profile: the partner school named on the relay form, tied when the person confirms the address.</remarks>
public sealed record CandidateProfile(
    string Name,
    string Email,
    string? NameKana,
    string? Phone,
    string? Prefecture,
    string? DesiredOccupation,
    IReadOnlyList<string> Skills,
    IReadOnlyList<WorkHistoryItem>? WorkHistory = null,
    string? CareerSummary = null,
    string? JobSearchStatus = null,
    IReadOnlyList<string>? ExcludedCompanies = null,
    int? YearsOfExperience = null,
    int? DesiredSalary = null,
    bool? WillingToRelocate = null,
    IReadOnlyList<string>? DesiredOccupationCodes = null,
    bool? IncludeRejectingCompanies = null,
    string? SharedStage = null,
    string? School = null,
    IReadOnlyList<Education.CompletedCourse>? CompletedCourses = null,
    Education.SchoolChoice? PendingSchool = null)
{
    /// <summary>The skills the person holds: those they entered, and those of courses they completed and confirmed.</summary>
    public IEnumerable<string> HeldSkills() => Skills.Concat((CompletedCourses ?? []).SelectMany(c => c.Skills));

    /// <summary>
    /// The profile a person gives at registration and corrects on /me, each field checked into <paramref name="v"/> with its
    /// message beside the field (the one place these rules live); the rest of the profile starts empty.
    /// </summary>
    public static CandidateProfile Basics(Validation v, string? name, string? email, string? nameKana, string? phone, string? prefecture,
        string? desiredOccupation, IEnumerable<string?>? skills)
    {
        var checkedName = v.Required("name", name, 100);
        var checkedEmail = v.Required("email", email, 254);
        var normalisedEmail = PersonIdentity.NormaliseEmail(checkedEmail);
        if (checkedEmail.Length > 0 && !v.Has("email") && !PersonIdentity.IsPlausibleEmail(normalisedEmail)) v.Add("email", "Error.Email");
        var kana = v.Optional("nameKana", nameKana, 100);
        var checkedPhone = v.Optional("phone", phone, 30);
        if (checkedPhone is not null && !v.Has("phone") && !PersonIdentity.IsPlausiblePhone(checkedPhone))
            v.Add("phone", "Error.Phone");
        var checkedPrefecture = v.Optional("prefecture", prefecture, 2);
        if (checkedPrefecture is not null && !Prefectures.IsValid(checkedPrefecture)) v.Add("prefecture", "Error.Prefecture");
        var occupation = v.Optional("desiredOccupation", desiredOccupation, 100);
        var skillList = DistinctSkills(skills);
        if (skillList.Count > 50 || !skillList.TrueForAll(s => s.Length <= 100 && !ContainsControl(s))) v.Add("skills", "Error.Skills");
        // The address is kept as normalised (SPEC §4), so mail goes to ｔａｒｏ＠… typed on a phone as taro@….
        return new CandidateProfile(checkedName, normalisedEmail, kana, checkedPhone, checkedPrefecture, occupation, skillList);
    }

    // Loops, not LINQ: this runs on every registration (issue 23). A handful of skills is compared in place; a long
    // (hostile) list goes through a set so it is never quadratic.
    private static List<string> DistinctSkills(IEnumerable<string?>? skills)
    {
        var list = new List<string>();
        if (skills is null) return list;
        HashSet<string>? seen = null;
        if (skills is IReadOnlyList<string?> given) // the JSON body's and the form's list: by index, no boxed enumerator
            for (var i = 0; i < given.Count; i++) Add(given[i]);
        else
            foreach (var raw in skills) Add(raw);
        return list;

        void Add(string? raw)
        {
            var skill = raw?.Trim() ?? "";
            if (skill.Length == 0) return;
            if (seen is null && list.Count >= 16) seen = new HashSet<string>(list, StringComparer.Ordinal);
            if (seen is not null ? seen.Add(skill) : !list.Contains(skill)) list.Add(skill);
        }
    }

    private static bool ContainsControl(string text)
    {
        foreach (var c in text)
            if (char.IsControl(c)) return true;
        return false;
    }
}

/// <summary>One job in the candidate's work history (職務経歴). Months as "yyyy-MM"; no end month = current.</summary>
public sealed record WorkHistoryItem(string Company, string? Title, string? From, string? To, string? Description);

public static class JobSearchStatuses
{
    [TextKeys("Me.Status.{0}")]
    /// <summary>積極的に転職活動中 / 良い求人があれば / 今は探していない.</summary>
    public static readonly string[] All = ["active", "open", "not_looking"];
}

/// <summary>A candidate's sign-in link (/me/{token}): 30 minutes, any number of uses, stored hashed, deleted on erasure.</summary>
public sealed class MeToken
{
    public required string TokenHash { get; init; }
    public required string CandidateId { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>The candidate's résumé (PDF): name and bytes sealed with the candidate's key, so erasure shreds it too.</summary>
public sealed class CandidateFile
{
    public required string CandidateId { get; init; }
    public required byte[] SealedName { get; set; }
    public required byte[] Content { get; set; }
    public int Size { get; set; }
    public DateTime UploadedAt { get; set; }
}

/// <summary>
/// That a person was erased, and when: a pseudonymous id only (proof of erasure, APPI art. 35). After a backup is
/// restored, <c>replay-erasures</c> erases again everyone on the list exported since that backup (docs/operations.md).
/// </summary>
public sealed class Erasure
{
    public required string CandidateId { get; init; }
    public DateTime ErasedAt { get; init; }
}

// What the routes in MeEndpoints take and answer.

public sealed record LinkRequest(string? Email);

public sealed record TokenRequest(string? Token);

public sealed record WithdrawRequest(string? Token, string? AgencyId);

public sealed record LinkAccepted(string Status);

public sealed record WithdrawResult(string AgencyId, string Status);

public sealed record EraseResult(string Status);
