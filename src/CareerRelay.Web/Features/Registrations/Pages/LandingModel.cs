using CareerRelay.Web.Features.Tenants;

namespace CareerRelay.Web.Features.Registrations.Pages;

/// <summary>What the landing page shows; <see cref="Values"/> and <see cref="Errors"/> refill the form after a failed submit.</summary>
public sealed record LandingModel(
    string Lang,
    string CompanyName,
    string FormAction,
    string? SwitchLanguageUrl,
    int NoticeVersion,
    string NoticeText,
    IReadOnlyList<Agency> Agencies)
{
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();
    public Infrastructure.Web.Forms.FormErrors Errors { get; init; } = Infrastructure.Web.Forms.FormErrors.None;
    public IReadOnlySet<string> ChosenAgencyIds { get; init; } = new HashSet<string>();
    /// <summary>The visit's source (<c>?src=</c>, as the link counts it), posted back with the form so the registration keeps it.</summary>
    public string Source { get; init; } = Links.LinkSources.Other;
    /// <summary>The partner schools the person may name (optional; Features/Education).</summary>
    public IReadOnlyList<Education.SchoolOption> Schools { get; init; } = [];
}
