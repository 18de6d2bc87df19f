using System.Text.RegularExpressions;
using CareerRelay.Web.Data;

namespace CareerRelay.Web.Features.Brand;

/// <summary>
/// The company states its public face: the slug of its page (3–40 of a–z, 0–9 and hyphens, unique), whether the page is public,
/// its message (up to 1,000 characters) and whether the directory lists it. The whole profile each time (PUT).
/// </summary>
public sealed partial class SetCompanyProfile(CareerRelayDb db, DbWriteGate gate, PublicProfiles profiles, PublicUrls urls, TimeProvider clock)
{
    public const int MaxMessage = 1000;

    public static bool IsSlug(string? slug) => slug is not null && SlugPattern().IsMatch(slug);

    public async Task<ProfileItem?> GetAsync(string companyId, CancellationToken ct) =>
        await db.CompanyProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.CompanyId == companyId, ct) is { } p ? ToItem(p) : null;

    public async Task<Result<ProfileItem>> HandleAsync(string companyId, ProfileRequest body, CancellationToken ct)
    {
        var v = new Validation();
        var slug = v.Required("slug", body.Slug, 40);
        if (slug.Length > 0 && !v.Has("slug") && !IsSlug(slug)) v.Add("slug", "Brand.Error.Slug");
        var message = v.Optional("message", body.Message, MaxMessage, multiline: true);
        if (!v.IsValid) return v.ToError();
        if (await db.CompanyProfiles.AnyAsync(p => p.Slug == slug && p.CompanyId != companyId, ct)) return BrandErrors.SlugTaken;
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            var saved = await gate.RunAsync(db, async t =>
            {
                var profile = await db.CompanyProfiles.FirstOrDefaultAsync(p => p.CompanyId == companyId, t);
                if (profile is null) db.CompanyProfiles.Add(profile = new CompanyProfile { CompanyId = companyId, Slug = slug });
                profile.Slug = slug;
                profile.Public = body.Public ?? false;
                profile.Message = message;
                profile.ShowInDirectory = body.ShowInDirectory ?? false;
                profile.UpdatedAt = now;
                return profile;
            }, ct);
            profiles.Invalidate();
            return ToItem(saved);
        }
        catch (DbUpdateException ex) when (DbWriteGate.IsUniqueViolation(ex))
        {
            return BrandErrors.SlugTaken; // another company took it at the same moment
        }
    }

    private ProfileItem ToItem(CompanyProfile p) =>
        new(p.Slug, p.Public, p.Message, p.ShowInDirectory, urls.To($"/c/{p.Slug}"), urls.To($"/c/{p.Slug}/badge.svg"), p.UpdatedAt);

    [GeneratedRegex("^[a-z0-9-]{3,40}$")] private static partial Regex SlugPattern();
}

/// <summary>How the brand use cases can fail, as values.</summary>
public static class BrandErrors
{
    public static ApiError SlugTaken => new(409, ProblemCodes.SlugTaken, "Slug taken", "Another company uses this address; choose another.")
    {
        Fields = new Dictionary<string, FieldMessage[]> { ["slug"] = [new FieldMessage("Brand.Error.SlugTaken")] },
    };
}
