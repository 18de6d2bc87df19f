using CareerRelay.Web.Infrastructure.Localization;
namespace CareerRelay.Web.Features.Referrals;

/// <summary>リファラル: who may refer people to a company. Each referrer belongs to one type.</summary>
[TextKeys("ReferrerType.{0}")]
public static class ReferrerTypes
{
    public const string Employee = "employee";
    public const string Alumni = "alumni";
    public const string School = "school";
    public const string Partner = "partner";
    public static readonly string[] All = [Employee, Alumni, School, Partner];
}

/// <summary>How a referred application moves: 書類選考 → 面接 → 内定 → 入社, or 不採用 / 辞退 at any point.</summary>
[TextKeys("ReferralStage.{0}")]
public static class ReferralStages
{
    public const string PendingVerification = "pending_verification";
    public const string Screening = "screening";
    public const string Interview = "interview";
    public const string Offer = "offer";
    public const string Hired = "hired";
    public const string Rejected = "rejected";
    public const string Withdrawn = "withdrawn";
    /// <summary>The stages a company may move an application to, in order.</summary>
    [TextKeys("Referrals.MoveTo.{0}")]
    public static readonly string[] Moves = [Interview, Offer, Hired, Rejected];
    public static readonly string[] Open = [Screening, Interview, Offer];
    public static readonly string[] Visible = [Screening, Interview, Offer, Hired, Rejected, Withdrawn];

    /// <summary>Forward only along the path; rejection from any open stage.</summary>
    public static bool CanMove(string from, string to) => (from, to) switch
    {
        (Screening, Interview) or (Interview, Offer) or (Offer, Hired) => true,
        (Screening or Interview or Offer, Rejected) => true,
        _ => false,
    };
}

/// <summary>A company's referral programme and how it recognises referrers: points or thanks, never cash.</summary>
public sealed class ReferralProgramme
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string Name { get; set; }
    /// <summary><c>points</c> or <c>thanks</c>.</summary>
    public required string Recognition { get; set; }
    public int PointsPerReferral { get; set; }
    public int PointsPerHire { get; set; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>
/// An employee, alumnus (OB/OG), school or partner organisation who refers people. Their referral link is public
/// (<c>/ref/{LinkToken}</c>); their status page is private (<c>/ref/status/{token}</c>, only the hash is stored).
/// </summary>
public sealed class Referrer
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string ProgrammeId { get; init; }
    public required string Type { get; init; }
    /// <summary>How the company names the referrer (an employee's name, a school, a partner organisation).</summary>
    public required string Name { get; init; }
    public required string LinkToken { get; init; }
    public required string StatusTokenHash { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DeactivatedAt { get; set; }
    /// <summary>Set by the operator: the referral link takes no applications until unbanned (the company cannot reopen it).</summary>
    public DateTime? BannedAt { get; set; }
    /// <summary>The alumni membership this referrer was made from (Features/Alumni), if any: one referrer per member.</summary>
    public string? AlumniMemberId { get; init; }
}

/// <summary>
/// A referred person's application to one of the company's jobs, shared with the company by the person's consent.
/// What they shared (and the company's notes) are sealed with the person's own key, so erasing them shreds it.
/// </summary>
public sealed class ReferralApplication
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string JobId { get; init; }
    public required string ReferrerId { get; init; }
    public required string CandidateId { get; init; }
    public required string Stage { get; set; }
    public required byte[] Shared { get; init; }
    public byte[]? Notes { get; set; }
    /// <summary>The company's thank-you to the referrer for this referral (thanks programmes); shown on the status page.</summary>
    public string? Thanks { get; set; }
    public required string CodeHash { get; init; }
    public DateTime CodeExpiresAt { get; init; }
    public required string IpHash { get; init; }
    public required string Lang { get; init; }
    /// <summary>Set once the application got past 書類選考 (moved to interview or further): the referrer's screening pass.</summary>
    public bool PassedScreening { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? VerifiedAt { get; set; }
    public DateTime? StageChangedAt { get; set; }
    /// <summary>The day (Japan time) the application reached 入社: the start of its six months for the retention figure.</summary>
    public DateOnly? HiredOn { get; set; }
    /// <summary>The day the hire left, when the company recorded it (its own employee: no record means still employed).</summary>
    public DateOnly? LeftOn { get; set; }
    /// <summary>Where the person came from (<c>?src=</c> on the referral link, as the company's sources count it; else <c>other</c>).</summary>
    public string Source { get; init; } = Links.LinkSources.Other;
}

/// <summary>What the referred person shares with the company when they apply.</summary>
public sealed record ReferralShare(string Name, string Email, string? Phone, string? Message, IReadOnlyList<string> Skills, string? CareerSummary);

// What the referral use cases answer with.

public sealed record ProgrammeItem(string Id, string Name, string Recognition, int PointsPerReferral, int PointsPerHire, DateTime CreatedAt);
public sealed record ReferrerItem(string Id, string ProgrammeId, string Type, string Name, string LinkUrl, DateTime CreatedAt, bool Active,
    int Referrals, int PassedScreening, int Hired, double? PassRate, double? HireRate);
public sealed record ReferrerCreated(string Id, string Type, string Name, string LinkUrl, string StatusUrl);
public sealed record ApplicationItem(string Id, string JobId, string JobTitle, string ReferrerId, string ReferrerName, string ReferrerType,
    string Stage, DateTime AppliedAt, DateTime? StageChangedAt, double TrustScore, ReferralShare Shared, string? Notes, string? Thanks,
    DateOnly? HiredOn = null, DateOnly? LeftOn = null, string Source = Links.LinkSources.Other);
public sealed record StatusView(string CompanyName, string ReferrerName, string Recognition, int Points, IReadOnlyList<StatusItem> Items);
public sealed record StatusItem(string JobTitle, DateTime AppliedAt, string Stage, string? Thanks);
/// <summary>A referral link as its page needs it; <see cref="Sources"/>: the ?src= names the company counts (those of its relay links).</summary>
public sealed record Entry(Referrer Referrer, string CompanyName, IReadOnlyList<(string Id, string Title)> Jobs, IReadOnlyList<string> Sources)
{
    public string SourceOf(string? src) => Links.LinkSources.Resolve(Sources, src);
}
public sealed record ApplyInput(string? JobId, string? Name, string? Email, string? Phone, string? Skills, string? CareerSummary, string? Message, bool Agreed,
    string? Source = null);
