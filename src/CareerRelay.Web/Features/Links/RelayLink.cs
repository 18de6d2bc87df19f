namespace CareerRelay.Web.Features.Links;

/// <summary>専用リンク: a company's reusable link, printed in rejection emails. Its token is not a secret.</summary>
public sealed class RelayLink
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string Token { get; init; }
    public required string Label { get; set; }
    public bool Paused { get; set; }
    /// <summary>Filtered, per-visitor-deduplicated clicks; a funnel figure only, never a reason for a slot.</summary>
    public long Clicks { get; set; }
    public DateTime CreatedAt { get; init; }
    /// <summary>The rejection mail's wording for this link, set by promoting an experiment's variant; null: the standard template.</summary>
    public string? TemplateTone { get; set; }
    public string? TemplateText { get; set; }

    /// <summary>Set by the operator when the link is abused: every registration verified through it from then on is held for review.</summary>
    public DateTime? BannedAt { get; set; }

    /// <summary>The <c>?src=</c> values this link counts by name (job-fair, school, print, line…); any other counts as <c>other</c>.</summary>
    public List<string> Sources { get; set; } = [];

    public RejectionWording? Wording => TemplateTone is null && TemplateText is null ? null : new RejectionWording(TemplateTone, TemplateText);
}

/// <summary>A link's clicks from one source on one Japan-time day: the per-source rows of the dashboard and the monthly report.</summary>
public sealed class LinkSourceDay
{
    public required string LinkId { get; init; }
    public DateOnly Day { get; init; }
    public required string Source { get; init; }
    public required string CompanyId { get; init; }
    public long Clicks { get; set; }
}

/// <summary>A link's clicks on one Japan-time day: the rollup behind the weekly trend and the monthly report.</summary>
public sealed class LinkClickDay
{
    public required string LinkId { get; init; }
    public DateOnly Day { get; init; }
    public required string CompanyId { get; init; }
    public long Clicks { get; set; }
}

/// <summary>
/// How far an application got before the rejection (選考ステップ), as an ATS, an import or the API tells it. A fixed list,
/// never free text: a rejection reason never enters the product. The person sees it on /me and decides whether agencies may.
/// </summary>
[Infrastructure.Localization.TextKeys("Stage.Reached.{0}"), Infrastructure.Localization.TextKeys("Stage.Experience.{0}")]
public static class SelectionStages
{
    public const string Document = "document";
    public const string AptitudeTest = "aptitude_test";
    public const string FirstInterview = "first_interview";
    public const string SecondInterview = "second_interview";
    public const string FinalInterview = "final_interview";
    public const string OfferDeclined = "offer_declined";

    /// <summary>In the order an application passes them.</summary>
    public static readonly string[] All = [Document, AptitudeTest, FirstInterview, SecondInterview, FinalInterview, OfferDeclined];

    /// <summary>The final round and later: the rejection mail's warm tone, and the one stage matching treats as a signal.</summary>
    public static bool ReachedFinal(string? stage) => stage is FinalInterview or OfferDeclined;

    /// <summary>The further of two stages (null when neither is known).</summary>
    public static string? Further(string? a, string? b) => a is null ? b : b is null ? a : Array.IndexOf(All, a) >= Array.IndexOf(All, b) ? a : b;

    /// <summary>
    /// A stage as people write it in a CSV or an ATS names it: the codes, the Japanese words (書類選考 … 内定辞退) and their English
    /// names, whatever the case, spaces, hyphens or underscores. Null for anything else.
    /// </summary>
    public static string? FromWords(string? text)
    {
        var key = string.Join(" ", (text ?? "").Trim().ToLowerInvariant().Replace('_', ' ').Replace('-', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return key switch
        {
            "document" or "document screening" or "書類選考" or "application review" => Document,
            "aptitude test" or "適性検査" or "assessment" => AptitudeTest,
            "first interview" or "1st interview" or "一次面接" or "1次面接" => FirstInterview,
            "second interview" or "2nd interview" or "二次面接" or "2次面接" => SecondInterview,
            "final interview" or "最終面接" => FinalInterview,
            "offer declined" or "内定辞退" => OfferDeclined,
            _ => null,
        };
    }
}

/// <summary>個別招待: a single-use link minted for one rejected application. Holds no personal data.</summary>
public sealed class Invitation
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public required string LinkId { get; init; }
    public required string TokenHash { get; init; }
    public string? ExternalRef { get; init; }
    /// <summary>How far the application got (<see cref="SelectionStages"/>), when the company said.</summary>
    public string? Stage { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? UsedAt { get; set; }
    public string? RegistrationId { get; set; }
    /// <summary>The experiment running on the link when this was minted, and the variant the split gave it (Features/Experiments).</summary>
    public string? ExperimentId { get; init; }
    public string? Variant { get; init; }
}

// What the routes in LinkEndpoints take and answer.

public sealed record CreateLinkRequest(string? Label, List<string?>? Sources = null);

public sealed record UpdateLinkRequest(string? Label = null, List<string?>? Sources = null);

public sealed record LinkCreated(string Id, string Token, string Url, string Label, IReadOnlyList<string> Sources);

public sealed record LinkItem(string Id, string Token, string Url, string Label, bool Paused, long Clicks, int Registrations,
    int QualifiedReferrals, DateTime CreatedAt, IReadOnlyList<string> Sources);

public sealed record InvitationRequest(string? LinkId, int? Count, List<string?>? ExternalRefs);

public sealed record InvitationItem(string? ExternalRef, string Token, string Url, string? Variant = null);

public sealed record InvitationsCreated(IReadOnlyList<InvitationItem> Invitations);

public sealed record EmailTemplate(string Subject, string Body);
