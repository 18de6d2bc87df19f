namespace CareerRelay.Web.Features.Operator;

/// <summary>What an operator did on the review desk: the trail behind "who decided", the hold's timeline and the audit.</summary>
[Infrastructure.Localization.TextKeys("Review.Action.{0}")]
public static class ReviewActions
{
    public const string Note = "note";
    public const string Release = "release";
    public const string Reverse = "reverse";
    public const string Ban = "ban";
    public const string Unban = "unban";
}

/// <summary>What a review action is about.</summary>
[Infrastructure.Localization.TextKeys("Review.BanOf.{0}")]
public static class ReviewSubjects
{
    public const string Referral = "referral";
    public const string Link = "link";
    public const string Referrer = "referrer";
}

/// <summary>
/// One operator action on the review desk (a note, a release, a reversal, a ban or unban), with who did it — the operator key's
/// id and name as they were — and when. Never changed, never deleted: the desk's audit trail.
/// </summary>
public sealed class ReviewAction
{
    public required string Id { get; init; }
    public required string SubjectType { get; init; }
    public required string SubjectId { get; init; }
    public required string Action { get; init; }
    public required string ActorId { get; init; }
    public required string ActorName { get; init; }
    public string? Note { get; init; }
    /// <summary>For a release or reversal of a hold: the signal that had fired (the registration forgets it once decided).</summary>
    public string? Signal { get; init; }
    public DateTime CreatedAt { get; init; }
}

// What the desk's API routes take and answer.

public sealed record BanRequest(string? Note = null);

public sealed record NoteRequest(string? Note);

public sealed record NoteAdded(string Id, bool Noted);
