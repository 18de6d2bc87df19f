using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Features.Surveys.Pages;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Surveys;

/// <summary>The survey link from the mail: a GET shows the question (changes nothing), the POST records the answer once.</summary>
public static class SurveyEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var pages = app.MapPublicPages("/survey");
        pages.MapGet("/{token}", PageAsync);
        pages.MapPost("/{token}", AnswerAsync);
    }

    private static async Task<IResult> PageAsync(string token, [AsParameters] PublicFramePage page, SatisfactionSurveys surveys, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        return await surveys.IsOpenAsync(token, ct)
            ? await RenderAsync(page.Renderer, page.Site, lang, token, FormErrors.None, 200)
            : await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "Survey.Closed", 404, null);
    }

    private static async Task<IResult> AnswerAsync(string token, [AsParameters] PublicFramePage page, SatisfactionSurveys surveys,
        CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var form = await page.Http.Request.ReadFormAsync(ct);
        var result = await surveys.AnswerAsync(token, form["score"], form["comment"], lang, ct);
        if (result.Failed)
            return result.Error!.Code == ProblemCodes.NotFound
                ? await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "Survey.Closed", 404, null)
                : await RenderAsync(page.Renderer, page.Site, lang, token, FormErrors.From(result.Error, lang), 400);
        return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, result.Value ? "Survey.Thanks" : "Survey.Closed", result.Value ? 200 : 409, null);
    }

    private static async Task<IResult> RenderAsync(PageRenderer renderer, IOptions<CareerRelayOptions> site, string lang, string token,
        FormErrors errors, int status) =>
        PageRenderer.Html(await renderer.RenderAsync<SurveyPage>(PageParameters.For<SurveyPage>()
            .With(p => p.Lang, lang)
            .With(p => p.Operator, site.Value.Operator)
            .With(p => p.Errors, errors)
            .With(p => p.FormAction, $"/survey/{token}{Lang.Query(lang)}")), status);
}
