using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Interviews;

/// <summary>Where a 面談 stands.</summary>
[TextKeys("Interview.Status.{0}")]
public static class InterviewStatus
{
    /// <summary>Times proposed; the person has not chosen yet.</summary>
    public const string Proposed = "proposed";
    /// <summary>The person chose a time; both sides have the calendar invitation.</summary>
    public const string Scheduled = "scheduled";
    /// <summary>None of the times suits the person; the agency proposes others (reschedule).</summary>
    public const string OtherTimes = "other_times";
    public const string Cancelled = "cancelled";
}

[TextKeys("Interview.Mode.{0}")]
public static class InterviewModes
{
    public const string Online = "online";
    public const string InPerson = "in_person";
    public static readonly string[] All = [Online, InPerson];
}

/// <summary>
/// A 面談 an agency proposes to a person: 1–5 times, the person picks one. The calendar invitation (iCalendar) keeps one UID
/// for the interview's whole life; each reschedule or cancellation raises <see cref="Sequence"/> so calendars replace the entry.
/// </summary>
public sealed class Interview
{
    public required string Id { get; init; }
    public required string AgencyId { get; init; }
    public required string CandidateId { get; init; }
    public required string Status { get; set; }
    public required string Mode { get; init; }
    /// <summary>The agency's office or its meeting link (the agency's own data, not the person's).</summary>
    public string? Place { get; init; }
    public string? ChosenSlotId { get; set; }
    public int Sequence { get; set; }
    /// <summary>Who proposed: <c>{agency}/user:{id}</c> or <c>{agency}/{keyId}</c>.</summary>
    public required string ProposedBy { get; init; }
    /// <summary>Where the agency's copy of the invitation goes: the proposing user, or the agency's contact address for an API key.</summary>
    public required string OrganizerEmail { get; init; }
    /// <summary>An invitation (METHOD:REQUEST) went out, so a cancellation must send METHOD:CANCEL.</summary>
    public bool Invited { get; set; }
    /// <summary>The day before the chosen time, 18:00 JST; null when there is nothing to remind of.</summary>
    public DateTime? RemindAt { get; set; }
    public DateTime? RemindedAt { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class InterviewSlot
{
    public required string Id { get; init; }
    public required string InterviewId { get; init; }
    public DateTime StartAt { get; init; }
    public DateTime EndAt { get; init; }
}

// What the interview routes take and answer.

/// <param name="Start">ISO 8601 with an offset (<c>2026-12-08T10:00:00+09:00</c>); without one it is read as JST.</param>
public sealed record SlotRequest(string? Start, string? End);

/// <param name="AnyDay">Allow Saturdays, Sundays and Japanese holidays (otherwise refused).</param>
public sealed record InterviewRequest(IReadOnlyList<SlotRequest>? Slots, string? Mode, string? Place, bool? AnyDay = null);

public sealed record RescheduleRequest(IReadOnlyList<SlotRequest>? Slots, bool? AnyDay = null);

public sealed record ChooseRequest(string? Token, string? SlotId);

public sealed record OtherTimesRequest(string? Token);

/// <summary>A slot in JST (+09:00).</summary>
public sealed record SlotItem(string Id, DateTimeOffset Start, DateTimeOffset End);

public sealed record InterviewItem(string Id, string CandidateId, string Status, string Mode, string? Place, IReadOnlyList<SlotItem> Slots,
    string? ChosenSlotId, int Sequence, DateTime CreatedAt);

/// <summary>What the person is told about an interview (<c>Mail.{0}.Subject</c>, <c>Mail.{0}.Body</c>, <c>Line.{0}</c>).</summary>
[TextKeys("Mail.{0}.Subject"), TextKeys("Mail.{0}.Body"), TextKeys("Line.{0}")]
public static class InterviewNotices
{
    public const string Proposed = "InterviewProposed";
    public const string Rescheduled = "InterviewRescheduled";
    public const string Invitation = "InterviewInvitation";
    public const string Cancelled = "InterviewCancelled";
    public const string Reminder = "InterviewReminder";
}
