using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Brand.Pages;
using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;

namespace CareerRelay.Web.Features.Brand;

/// <summary>/console/profile (admins): edit the public profile, preview the page as candidates see it, copy the badge snippets.</summary>
internal static class ConsoleBrand
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapConsolePages("/console/profile", ConsoleAuth.AdminPolicy);
        admin.MapGet("", ([AsParameters] ConsolePage page, SetCompanyProfile profiles, PublicProfiles views, CareerRelayDb db, PublicUrls urls, CancellationToken ct) =>
            RenderAsync(page, profiles, views, db, urls, null, null, 200, ct));
        admin.MapPost("", SaveAsync);
    }

    private static async Task<IResult> SaveAsync([AsParameters] ConsolePage page, SetCompanyProfile profiles, PublicProfiles views, CareerRelayDb db,
        PublicUrls urls, CancellationToken ct)
    {
        var form = await page.Http.Request.ReadFormAsync(ct);
        var saved = await profiles.HandleAsync(page.User.CompanyId,
            new ProfileRequest(form["slug"], form["public"] == "on", form["message"], form["showInDirectory"] == "on"), ct);
        return saved.Failed
            ? await RenderAsync(page, profiles, views, db, urls, null, saved.Error, 400, ct, form.ToDictionary(f => f.Key, f => f.Value.ToString()))
            : await RenderAsync(page, profiles, views, db, urls, Texts.Get("Brand.Console.Saved", Lang.FromQuery(page.Http.Request)), null, 200, ct);
    }

    private static async Task<IResult> RenderAsync(ConsolePage page, SetCompanyProfile profiles, PublicProfiles views, CareerRelayDb db, PublicUrls urls,
        string? message, ApiError? error, int status, CancellationToken ct, IReadOnlyDictionary<string, string>? typed = null)
    {
        var companyId = page.User.CompanyId;
        var profile = await db.CompanyProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.CompanyId == companyId, ct);
        var name = await db.Companies.AsNoTracking().Where(c => c.Id == companyId).Select(c => c.Name).FirstAsync(ct);
        // The preview is the page as it stands now (read directly, not from the minute-long cache).
        var preview = profile is null ? null : await views.ViewAsync(page.Http.RequestServices, db, profile, name, ct);
        return await page.RenderAsync(PageParameters.For<BrandConsolePage>()
            .With(p => p.Profile, await profiles.GetAsync(companyId, ct))
            .With(p => p.Preview, preview)
            .With(p => p.SiteUrl, urls.To(""))
            .With(p => p.Message, message)
            .With(p => p.Errors, ConsolePages.Errors(page.Http, error))
            .With(p => p.Typed, typed), status);
    }
}
