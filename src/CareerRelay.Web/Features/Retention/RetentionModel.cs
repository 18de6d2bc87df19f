using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Retention;

/// <summary>What a follow-up found.</summary>
[TextKeys("FollowUpStatus.{0}")]
public static class FollowUpStatus
{
    public const string Employed = "employed";
    public const string Left = "left";
    /// <summary>The agency could not find out.</summary>
    public const string Unknown = "unknown";
    public static readonly string[] All = [Employed, Left, Unknown];
}

/// <summary>Why the person left (never free text: the company is not told more than this).</summary>
[TextKeys("LeaveReason.{0}")]
public static class LeaveReason
{
    public const string Voluntary = "voluntary";
    /// <summary>解雇: excluded from the legal figure and from the free-hire guarantee.</summary>
    public const string Dismissal = "dismissal";
    public const string ContractEnd = "contract_end";
    public const string Unknown = "unknown";
    public static readonly string[] All = [Voluntary, Dismissal, ContractEnd, Unknown];
}

/// <summary>
/// 定着確認: one follow-up of a placement that fell due (<c>Relay:RetentionCheckMonths</c> after its start date). Made by
/// <see cref="RetentionChecks"/> when it puts the check on the agency's to-do list and mails it; the person, if they opted in
/// to mail, gets a "still working there?" link of their own (<see cref="PersonTokenHash"/>), whose answer only the agency sees.
/// </summary>
public sealed class PlacementCheck
{
    public required string Id { get; init; }
    public required string PlacementId { get; init; }
    public required string AgencyId { get; init; }
    public required string CandidateId { get; init; }
    /// <summary>Months after the start date: 1, 3, 6 by default.</summary>
    public int Month { get; init; }
    public DateOnly DueOn { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>The person's answer link (hashed); null when they had not opted in to mail.</summary>
    public string? PersonTokenHash { get; set; }
    /// <summary>The person's own answer: employed or left.</summary>
    public string? PersonAnswer { get; set; }
    public DateTime? PersonAnsweredAt { get; set; }
}

/// <summary>
/// One follow-up the agency recorded. Append-only: a correction is a newer record, and the newest (highest
/// <see cref="Sequence"/>) is where the placement stands. (PlacementId, Sequence) is unique, so of two racing
/// records one is written first and the other, retried, sees it.
/// </summary>
public sealed class PlacementFollowUp
{
    public required string Id { get; init; }
    public required string PlacementId { get; init; }
    public required string AgencyId { get; init; }
    public int Sequence { get; init; }
    /// <summary>The check it answers: the latest one due when it was recorded (0: before the first).</summary>
    public int CheckMonth { get; init; }
    public required string Status { get; init; }
    public DateOnly? LeftOn { get; init; }
    public string? Reason { get; init; }
    /// <summary>An agency user id or "key:{apiKeyId}".</summary>
    public required string ActorId { get; init; }
    public DateTime CreatedAt { get; init; }
}

// What the routes in RetentionEndpoints take and answer.

public sealed record FollowUpRequest(string? Status, string? LeftOn, string? Reason);

public sealed record FollowUpItem(string Id, int CheckMonth, string Status, DateOnly? LeftOn, string? Reason, DateTime RecordedAt);

public sealed record CheckItem(int Month, DateOnly DueOn, bool Done, string? PersonAnswer, DateTime? PersonAnsweredAt);

/// <summary>A placement with its follow-ups, as the agency sees it.</summary>
public sealed record PlacementDetail(string Id, string CandidateId, string? JobId, string? HiringCompanyName, DateOnly StartDate,
    string? EmploymentType, string? RedemptionId, bool FeeWaived, DateTime CreatedAt, string? Status, IReadOnlyList<CheckItem> Checks,
    IReadOnlyList<FollowUpItem> FollowUps, bool SlotReturned);

/// <summary>職業安定法施行規則 24条の8: an agency's figures for one fiscal year (April–March, by start date).</summary>
public sealed record Disclosure(int FiscalYear, DateOnly From, DateOnly To, int Placements, int Indefinite, int IndefiniteLeftWithinSixMonths,
    int IndefiniteUnknown);
