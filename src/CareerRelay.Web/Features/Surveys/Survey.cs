namespace CareerRelay.Web.Features.Surveys;

public static class SurveyStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    /// <summary>Due, but the person had not opted in to such mail: never sent.</summary>
    public const string Skipped = "skipped";
    public const string Answered = "answered";
}

/// <summary>
/// 満足度アンケート: one question (0–10 and a comment) <c>Relay:SurveyAfterDays</c> after a registration is
/// verified. The comment is sealed with the candidate's key; results are shown only for groups of five or more.
/// </summary>
public sealed class Survey
{
    public required string Id { get; init; }
    public required string CandidateId { get; init; }
    public required string RegistrationId { get; init; }
    public required string CompanyId { get; init; }
    public required string TokenHash { get; init; }
    public required string Status { get; set; }
    public DateTime DueAt { get; init; }
    public DateTime? SentAt { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public int? Score { get; set; }
    public byte[]? Comment { get; set; }
}

/// <summary>A satisfaction figure for a group; <see cref="Average"/> is null below <see cref="MinimumGroup"/> answers.</summary>
public sealed record Satisfaction(int Answers, double? Average)
{
    /// <summary>Below five answers a result could point at a person: nothing is shown.</summary>
    public const int MinimumGroup = 5;

    public static Satisfaction Of(IReadOnlyCollection<int> scores) =>
        new(scores.Count, scores.Count >= MinimumGroup ? Math.Round(scores.Average(), 1) : null);
}
