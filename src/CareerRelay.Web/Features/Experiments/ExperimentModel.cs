namespace CareerRelay.Web.Features.Experiments;

[Infrastructure.Localization.TextKeys("Experiments.Status.{0}")]
public static class ExperimentStatus
{
    public const string Running = "running";
    /// <summary>Ended by choosing a variant: its wording became the link's template.</summary>
    public const string Promoted = "promoted";
    /// <summary>Ended without a winner.</summary>
    public const string Stopped = "stopped";
}

/// <summary>
/// 不採用メールのA/Bテスト: while it runs, every invitation minted for its link gets one of the variants (a deterministic split on
/// the invitation, <see cref="ExperimentSplit"/>), and the variants' funnels are compared (<see cref="ExperimentStatistics"/>).
/// </summary>
public sealed class Experiment
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string LinkId { get; init; }
    public required string Name { get; init; }
    public string Status { get; set; } = ExperimentStatus.Running;
    /// <summary>The link's id while the experiment runs, null once it ended: a unique index makes "one running per link" hold under races.</summary>
    public string? RunningLinkId { get; set; }
    public string? Winner { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? EndedAt { get; set; }
}

/// <summary>One wording under test: a tone of the standard template, or the company's own text with <c>{{link}}</c>.</summary>
public sealed class ExperimentVariant
{
    public required string ExperimentId { get; init; }
    public required string Key { get; init; }
    /// <summary>The order the company gave; the first is the baseline every other variant is tested against.</summary>
    public int Position { get; init; }
    public string? Tone { get; init; }
    public string? Text { get; init; }
    /// <summary>Filtered, per-visitor-deduplicated opens of this variant's invitations, added by the click flusher.</summary>
    public long Clicks { get; set; }
}

// What the routes take and answer.

public sealed record VariantInput(string? Key, string? Tone = null, string? Text = null);

public sealed record ExperimentRequest(string? LinkId, string? Name, List<VariantInput?>? Variants);

public sealed record PromoteRequest(string? Key);

public sealed record VariantResult(
    string Key, string? Tone, string? Text, int Invitations, long Clicks, int Registrations, int Verified, int Qualified,
    double? VerifiedRate, double? VerifiedRateLow, double? VerifiedRateHigh, double? Z, double? PValue, string Verdict);

public sealed record ExperimentResult(
    string Id, string LinkId, string LinkLabel, string Name, string Status, string? Winner, int MinimumInvitations, bool TooEarly,
    DateTime CreatedAt, DateTime? EndedAt, IReadOnlyList<VariantResult> Variants);

public sealed record ExperimentItem(string Id, string LinkId, string LinkLabel, string Name, string Status, string? Winner, IReadOnlyList<string> Keys,
    DateTime CreatedAt, DateTime? EndedAt);

/// <summary>The funnel of a variant, in order: what the page draws as bars.</summary>
[Infrastructure.Localization.TextKeys("Experiments.Step.{0}")]
public static class ExperimentFunnel
{
    public static readonly string[] Steps = ["invitations", "clicks", "registrations", "verified", "qualified"];
}
