using CareerRelay.Web.Features.Referrals.Pages;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Security;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Referrals;

/// <summary>
/// The pages of a referral: /ref/{token} (the referred person applies to one of the company's jobs), /ref/confirm/{code}
/// (they confirm by POST), /ref/status/{token} (the referrer follows their referrals). No key; rate-limited per IP.
/// </summary>
public static class ReferralPages
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var pages = app.MapPublicPages("/ref");
        pages.MapGet("/{token}", ApplyPageAsync);
        pages.MapPost("/{token}", ApplyAsync);
        pages.MapGet("/confirm/{code}", (string code, [AsParameters] PublicFramePage page) =>
            PublicEndpoints.MessageAsync(page.Renderer, page.Site, Lang.FromQuery(page.Http.Request), "Referral.Confirm", 200, $"/ref/confirm/{code}{Lang.Query(page.Http.Request)}"));
        pages.MapPost("/confirm/{code}", ConfirmAsync);
        pages.MapGet("/status/{token}", StatusAsync);
    }

    private static async Task<IResult> ApplyPageAsync(string token, [AsParameters] PublicFramePage page, ApplyByReferral referrals,
        CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var entry = await referrals.ResolveAsync(token, ct);
        if (entry is null) return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);
        page.Http.Response.Headers.CacheControl = "no-store";
        return await RenderAsync(page.Renderer, page.Site, entry, token, lang, null, FormErrors.None, 200, entry.SourceOf(page.Http.Request.Query["src"]));
    }

    private static async Task<IResult> ApplyAsync(string token, [AsParameters] PublicFramePage page, ApplyByReferral referrals, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        if (!page.Http.Request.HasFormContentType) return new ErrorPages.ErrorPageResult(StatusCodes.Status415UnsupportedMediaType);
        var entry = await referrals.ResolveAsync(token, ct);
        if (entry is null) return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);
        var form = await page.Http.Request.ReadFormAsync(ct);
        lang = Lang.Normalize(form["lang"].FirstOrDefault() ?? lang);
        var input = new ApplyInput(form["jobId"], form["name"], form["email"], form["phone"], form["skills"], form["careerSummary"],
            form["message"], form["agree"] == "yes", form["src"]);
        var result = await referrals.ApplyAsync(entry, input, page.Http.Connection.RemoteIpAddress?.ToString(), lang, ct);
        if (result.Failed)
        {
            return await RenderAsync(page.Renderer, page.Site, entry, token, lang, input, FormErrors.From(result.Error, lang), 400, entry.SourceOf(input.Source));
        }
        return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "Referral.Sent", 200, null);
    }

    private static async Task<IResult> ConfirmAsync(string code, [AsParameters] PublicFramePage page, ApplyByReferral referrals, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var result = await referrals.ConfirmAsync(code, ct);
        if (result.Failed)
            return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, result.Error!.Status == 410 ? "Expired" : "NotFound", result.Error.Status, null);
        return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "Referral.Confirmed", 200, null);
    }

    private static async Task<IResult> StatusAsync(string token, [AsParameters] PublicFramePage page, ShowReferrerStatus referrals,
        CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var view = await referrals.StatusAsync(token, ct);
        if (view is null) return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);
        page.Http.Response.Headers.CacheControl = "no-store";
        return PageRenderer.Html(await page.Renderer.RenderAsync<ReferrerStatusPage>(PageParameters.For<ReferrerStatusPage>()
            .With(p => p.Lang, lang)
            .With(p => p.View, view)
            .With(p => p.Operator, page.Site.Value.Operator)));
    }

    private static async Task<IResult> RenderAsync(PageRenderer renderer, IOptions<CareerRelayOptions> site, Entry entry, string token,
        string lang, ApplyInput? input, FormErrors errors, int status, string source) =>
        PageRenderer.Html(await renderer.RenderAsync<ReferralApplyPage>(PageParameters.For<ReferralApplyPage>()
            .With(p => p.Lang, lang)
            .With(p => p.Source, source)
            .With(p => p.Entry, entry)
            .With(p => p.Input, input)
            .With(p => p.Errors, errors)
            .With(p => p.Operator, site.Value.Operator)
            .With(p => p.FormAction, $"/ref/{token}{Lang.Query(lang)}")
            .With(p => p.SwitchLanguageUrl, $"/ref/{token}?lang={(lang == Lang.English ? Lang.Japanese : Lang.English)}"
                + (source == Links.LinkSources.Other ? "" : $"&src={source}"))), status);
}
