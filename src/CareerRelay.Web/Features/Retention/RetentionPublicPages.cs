using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Features.Retention.Pages;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;

namespace CareerRelay.Web.Features.Retention;

/// <summary>
/// The public side of retention: the person's "still working there?" link (a GET shows two buttons and changes nothing —
/// mail scanners open links —, the POST records the answer once) and each agency's published figures.
/// </summary>
public static class RetentionPublicPages
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var followUp = app.MapPublicPages("/follow-up");
        followUp.MapGet("/{token}", PersonPageAsync);
        followUp.MapPost("/{token}", PersonAnswerAsync);
        app.MapPublicPages("/agencies").MapGet("/{id}/disclosure", DisclosureAsync);
    }

    private static async Task<IResult> PersonPageAsync(string token, [AsParameters] PublicFramePage page, RetentionChecks checks, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        return await checks.IsOpenAsync(token, ct)
            ? await RenderPersonAsync(token, page, lang, 200)
            : await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "FollowUp.Closed", 404, null);
    }

    private static async Task<IResult> RenderPersonAsync(string token, PublicFramePage page, string lang, int status)
    {
        page.Http.Response.Headers.CacheControl = "no-store";
        return PageRenderer.Html(await page.Renderer.RenderAsync(PageParameters.For<FollowUpPersonPage>()
            .With(p => p.Lang, lang)
            .With(p => p.Operator, page.Site.Value.Operator)
            .With(p => p.FormAction, $"/follow-up/{token}{Lang.Query(lang)}")
            .With(p => p.Refused, status == 400)), status);
    }

    private static async Task<IResult> PersonAnswerAsync(string token, [AsParameters] PublicFramePage page, RetentionChecks checks, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var form = await page.Http.Request.ReadFormAsync(ct);
        var result = await checks.AnswerAsync(token, form["answer"].ToString(), ct);
        if (result.Failed)
            return result.Error!.Code == ProblemCodes.NotFound
                ? await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "FollowUp.Closed", 404, null)
                : await RenderPersonAsync(token, page, lang, 400);
        return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, result.Value ? "FollowUp.Thanks" : "FollowUp.Closed", result.Value ? 200 : 409, null);
    }

    private static async Task<IResult> DisclosureAsync(string id, [AsParameters] PublicFramePage page, CareerRelayDb db, AgencyDisclosures disclosures,
        CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var agency = await db.Agencies.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.SuspendedAt == null, ct);
        if (agency is null) return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);
        // The rule asks for the last complete fiscal year; the current one to date is shown beside it.
        var current = disclosures.CurrentFiscalYear;
        return PageRenderer.Html(await page.Renderer.RenderAsync(PageParameters.For<PublicDisclosurePage>()
            .With(p => p.Lang, lang)
            .With(p => p.Operator, page.Site.Value.Operator)
            .With(p => p.AgencyName, agency.Name)
            .With(p => p.LicenseNumber, agency.LicenseNumber)
            .With(p => p.LastComplete, await disclosures.ForAsync(agency.Id, current - 1, ct))
            .With(p => p.Current, await disclosures.ForAsync(agency.Id, current, ct))));
    }
}
