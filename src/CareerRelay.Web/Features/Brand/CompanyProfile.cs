namespace CareerRelay.Web.Features.Brand;

/// <summary>
/// A company's public face (採用ブランディング): the address of its page (<c>/c/{Slug}</c>), whether the page is public, its own
/// message to candidates, and whether it is listed in the directory of participating companies (<c>/companies</c>).
/// </summary>
public sealed class CompanyProfile
{
    public required string CompanyId { get; init; }
    public required string Slug { get; set; }
    public bool Public { get; set; }
    public string? Message { get; set; }
    public bool ShowInDirectory { get; set; }
    public DateTime UpdatedAt { get; set; }
}

// What the profile use cases answer with.

public sealed record ProfileRequest(string? Slug, bool? Public, string? Message, bool? ShowInDirectory);
public sealed record ProfileItem(string Slug, bool Public, string? Message, bool ShowInDirectory, string Url, string BadgeUrl, DateTime UpdatedAt);

/// <summary>What /c/{slug} shows; each figure is null below <see cref="PublicProfiles.Floor"/> people (shown as 「—」).</summary>
public sealed record PublicProfileView(string Slug, string CompanyName, string? Message, int? Supported, int? PlacedElsewhere,
    double? Satisfaction, IReadOnlyList<string> Agencies, string? AlumniUrl, bool HasReferralProgramme, bool ShowInDirectory);
public sealed record DirectoryEntry(string Slug, string CompanyName, int? Supported);
