using System.Text.RegularExpressions;

namespace CareerRelay.Web.Features.Links;

/// <summary>
/// Where people came from (<c>?src=</c>): a link names the sources it counts — lower-case slugs such as <c>job-fair</c>,
/// <c>school</c>, <c>print</c>, <c>line</c> — and anything else, or a link with no list, counts as <see cref="Other"/>. The
/// source rides in the page and its form from the click to the registration; it is never personal data.
/// </summary>
public static partial class LinkSources
{
    public const string Other = "other";
    public const int MaxSources = 20, MaxLength = 30;

    public static string Resolve(IReadOnlyList<string> allowed, string? src)
    {
        var value = src?.Trim().ToLowerInvariant();
        return value is { Length: > 0 } && allowed.Contains(value) ? value : Other;
    }

    /// <summary>The list as a company sets it: distinct slugs of 1–30 of a–z, 0–9 and hyphen, at most 20, never "other" itself.</summary>
    public static List<string> Validate(Validation v, IReadOnlyList<string?>? sources)
    {
        if (sources is null) return [];
        var list = sources.Select(s => s?.Trim() ?? "").ToList();
        if (list.Count > MaxSources) v.Add("sources", "Sources.Error.Count", MaxSources);
        else if (list.Any(s => !SlugPattern().IsMatch(s) || s == Other)) v.Add("sources", "Sources.Error.Slug", MaxLength);
        return list.Distinct().ToList();
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$")] private static partial Regex SlugPattern();
}
