using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Alumni;

/// <summary>
/// A company's alumni link (アルムナイ: people who worked there and left). Public like a relay link (<c>/a/{Token}</c>); joining
/// through it is never a qualified referral.
/// </summary>
public sealed class AlumniLink
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string Token { get; init; }
    public required string Label { get; set; }
    /// <summary>The company's own words on the join page; a standard welcome when empty.</summary>
    public string? Message { get; set; }
    public bool Paused { get; set; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>
/// One person in one company's alumni network. What they entered is sealed with their own key (erasing them shreds it);
/// the company reads only the fields they chose to share. One row per (company, person): joining again while pending or
/// after leaving reuses it.
/// </summary>
public sealed class AlumniMember
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string LinkId { get; set; }
    public required string CandidateId { get; init; }
    /// <summary>One of <see cref="AlumniStatus"/>.</summary>
    public required string Status { get; set; }
    /// <summary><see cref="AlumniDetails"/>, sealed with the person's key; emptied when they leave.</summary>
    public required byte[] Details { get; set; }
    /// <summary>They asked to hear of open jobs (open to re-hire or contract work) and have not unsubscribed.</summary>
    public bool JobMails { get; set; }
    /// <summary>They chose 転職支援 too: their consents to agencies hang on this membership.</summary>
    public bool CareerSupport { get; set; }
    public required string CodeHash { get; set; }
    public DateTime CodeExpiresAt { get; set; }
    public required string IpHash { get; set; }
    public required string Lang { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ConfirmedAt { get; set; }
    public DateTime? LeftAt { get; set; }
}

public static class AlumniStatus
{
    public const string Pending = "pending_verification";
    public const string Confirmed = "confirmed";
    public const string Left = "left";
}

/// <summary>What the person may be open to with their former company (and 転職支援 through the partner agencies).</summary>
[TextKeys("Alumni.OpenTo.{0}")]
public static class AlumniOpenTo
{
    public const string Rehire = "rehire";
    public const string Contract = "contract";
    public const string Referral = "referral";
    public const string CareerSupport = "career_support";
    public static readonly string[] All = [Rehire, Contract, Referral, CareerSupport];
    /// <summary>Either of these means "tell me about open jobs" (the welcome-back mail).</summary>
    public static bool WantsJobs(IEnumerable<string> openTo) => openTo.Any(o => o is Rehire or Contract);
}

/// <summary>The fields of the join form a person may let the company see; nothing is shared unless ticked.</summary>
[TextKeys("Alumni.Field.{0}")]
public static class AlumniFields
{
    public const string Name = "name";
    public const string Email = "email";
    public const string JoinedYear = "joinedYear";
    public const string LeftYear = "leftYear";
    public const string LastRole = "lastRole";
    public const string OpenTo = "openTo";
    public static readonly string[] All = [Name, Email, JoinedYear, LeftYear, LastRole, OpenTo];
}

/// <summary>What the person entered, and which of it the company may see.</summary>
public sealed record AlumniDetails(string Name, string Email, int? JoinedYear, int? LeftYear, string? LastRole, IReadOnlyList<string> OpenTo,
    IReadOnlyList<string> Share)
{
    /// <summary>Only the shared fields; the others are null.</summary>
    public SharedAlumni Shared() => new(
        Share.Contains(AlumniFields.Name) ? Name : null, Share.Contains(AlumniFields.Email) ? Email : null,
        Share.Contains(AlumniFields.JoinedYear) ? JoinedYear : null, Share.Contains(AlumniFields.LeftYear) ? LeftYear : null,
        Share.Contains(AlumniFields.LastRole) ? LastRole : null, Share.Contains(AlumniFields.OpenTo) ? OpenTo : null);
}

/// <summary>A company's record that an alumnus came back: re-hired, or engaged on contract (業務委託).</summary>
public sealed class AlumniRehire
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string MemberId { get; init; }
    public DateOnly On { get; init; }
    /// <summary><c>rehire</c> or <c>contract</c>.</summary>
    public required string Kind { get; init; }
    public DateTime CreatedAt { get; init; }
}

[TextKeys("Alumni.Kind.{0}")]
public static class RehireKinds
{
    public const string Rehire = "rehire";
    public const string Contract = "contract";
    public static readonly string[] All = [Rehire, Contract];
}

// What the alumni use cases answer with.

public sealed record AlumniLinkCreated(string Id, string Token, string Url, string Label);
public sealed record AlumniLinkItem(string Id, string Token, string Url, string Label, string? Message, bool Paused, int Members, DateTime CreatedAt);
public sealed record SharedAlumni(string? Name, string? Email, int? JoinedYear, int? LeftYear, string? LastRole, IReadOnlyList<string>? OpenTo);
public sealed record AlumniItem(string Id, string LinkId, DateTime JoinedAt, IReadOnlyList<string> Shared, SharedAlumni Fields,
    bool ReferrerMade, IReadOnlyList<RehireItem> Rehires);
public sealed record RehireItem(string Id, string MemberId, DateOnly On, string Kind, DateTime CreatedAt);
public sealed record AlumniJoinRequest(string? Token, string? Name, string? Email, int? JoinedYear, int? LeftYear, string? LastRole,
    IReadOnlyList<string>? OpenTo, IReadOnlyList<string>? Share, Registrations.ConsentInput? Consent = null, string? Lang = null);
public sealed record AlumniJoinAccepted(string Status);
public sealed record AlumniEntry(AlumniLink Link, string CompanyName);
public sealed record RehireRequest(string? On, string? Kind);
public sealed record AlumniLinkRequest(string? Label, string? Message);
/// <summary>A person's membership as /me shows it: the company, what it sees, since when.</summary>
public sealed record MyMembership(string Id, string CompanyName, string Status, DateTime? ConfirmedAt, AlumniDetails? Details);
