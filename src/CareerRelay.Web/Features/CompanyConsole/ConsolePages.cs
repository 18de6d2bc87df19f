using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>
/// What every console page's frame needs: the reader's language, who is signed in, the form token, and what the last action
/// did — <see cref="Done"/> after a success, <see cref="Problem"/> after a refusal, each carried by the redirect that ended it.
/// </summary>
public sealed record ConsoleFrame(string Lang, string UserEmail, bool IsAdmin, string AntiforgeryToken, bool IsAgency = false,
    string? Done = null, string? Problem = null, string? SwitchLanguageUrl = null, string TenantType = TenantTypes.Company)
{
    /// <summary>"?lang=en" for English readers, so links and redirects keep the language.</summary>
    public string LangQuery => Infrastructure.Localization.Lang.Query(Lang);

    /// <summary>"&amp;lang=en" for a link that already has a query.</summary>
    public string LangParameter => Infrastructure.Localization.Lang.Parameter(Lang);
}

/// <summary>What a console or agency page says after an action ended in a redirect (<c>?done=…</c>); nothing else in the address is shown.</summary>
public static class ConsoleDone
{
    [TextKeys("Done.{0}")]
    public static readonly string[] Messages =
    [
        "link-created", "link-paused", "link-resumed", "job-created", "job-updated", "job-closed", "slot-spent", "redemption-cancelled",
        "step", "introduced", "placed", "redemption-accepted", "follow-up", "refund-rule", "experiment-started", "experiment-promoted",
        "experiment-stopped", "sources-saved", "message-sent", "interview-proposed", "interview-rescheduled", "interview-cancelled",
        "course-created", "course-closed", "completion-recorded",
    ];
}

/// <summary>
/// What every console and agency page handler needs, bound as one parameter (<c>[AsParameters] ConsolePage page</c>): the request,
/// who is signed in, the page renderer and the form-token source. <see cref="RenderAsync{TPage}"/> draws a page in its frame.
/// </summary>
public sealed record ConsolePage(HttpContext Http, ConsoleUser User, PageRenderer Renderer, IAntiforgery Antiforgery)
{
    public Task<IResult> RenderAsync<TPage>(PageParameters<TPage> parameters, int status = 200) where TPage : IComponent =>
        ConsolePages.RenderAsync(Http, User, Renderer, Antiforgery, parameters, status);
}

/// <summary>The small pieces every console handler shares: rendering a page in its frame, checking a form, answering errors.</summary>
internal static class ConsolePages
{
    /// <summary>
    /// A group of console or agency pages (same sign-in, same frame): signed in under <paramref name="policy"/>, and a form
    /// posted with a stale or missing token gets <see cref="FormExpired"/> before any handler runs.
    /// </summary>
    public static RouteGroupBuilder MapConsolePages(this IEndpointRouteBuilder app, string prefix, string policy) =>
        app.MapFormPages(prefix, http => Task.FromResult(FormExpired(http))).RequireAuthorization(policy);

    public static ConsoleFrame Frame(HttpContext http, ConsoleUser user, IAntiforgery antiforgery)
    {
        var lang = Lang.FromQuery(http.Request);
        var done = http.Request.Query["done"].ToString();
        var problem = http.Request.Query["problem"].ToString();
        return new(lang, user.Email, user.IsAdmin, antiforgery.GetAndStoreTokens(http).RequestToken ?? "", user.IsAgencyUser,
            ConsoleDone.Messages.Contains(done) ? Texts.Get($"Done.{done}", lang) : null,
            ProblemCodes.All.Contains(problem) ? Texts.Get($"Problem.{problem}", lang) : null, LanguageSwitch.For(http.Request), user.TenantType);
    }

    /// <summary>Renders a console page with the frame every page needs. Pages are never cached: they hold a tenant's figures.</summary>
    public static async Task<IResult> RenderAsync<TPage>(HttpContext http, ConsoleUser user, PageRenderer renderer,
        IAntiforgery antiforgery, PageParameters<TPage> parameters, int status = 200) where TPage : IComponent
    {
        parameters.WithShared("Frame", Frame(http, user, antiforgery));
        http.Response.Headers.CacheControl = "no-store";
        return PageRenderer.Html(await renderer.RenderAsync<TPage>(parameters), status);
    }

    /// <summary>A form posted without a valid anti-forgery token (another site's form, or a page left open for hours).</summary>
    public static IResult FormExpired(HttpContext http) => new ErrorPages.ErrorPageResult(StatusCodes.Status400BadRequest,
        "Console.FormExpired.Body", "Console.FormExpired.Title");

    /// <summary>Another company's id, or one that never existed: the same friendly page, never a hint which.</summary>
    public static IResult NotFound() => new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound, "Console.NotFound.Body",
        "Console.NotFound.Title");

    /// <summary>A failure in one sentence of the reader's language (the field messages, or the problem code's sentence).</summary>
    public static string ErrorText(HttpContext http, ApiError error) => FormErrors.ProblemText(error, Lang.FromQuery(http.Request));

    /// <summary>A failure as the page's form shows it: each field's message beside the field, the rest at the top.</summary>
    public static FormErrors Errors(HttpContext http, ApiError? error) => FormErrors.From(error, Lang.FromQuery(http.Request));

    /// <summary>Post/redirect/get, keeping the language; <paramref name="done"/> (one of <see cref="ConsoleDone.Messages"/>) says what happened.</summary>
    public static IResult RedirectTo(HttpContext http, string path, string? done = null, string? section = null) =>
        Results.Redirect(WithQuery(http, path, done is null ? null : "done=" + done) + (section is null ? "" : "#" + section));

    /// <summary>A refusal that has no form to show again: the page it came from, saying why (<c>?problem=</c> a problem code).</summary>
    public static IResult RedirectWithProblem(HttpContext http, string path, ApiError error) =>
        Results.Redirect(WithQuery(http, path, "problem=" + error.Code));

    private static string WithQuery(HttpContext http, string path, string? parameter)
    {
        var parameters = new[] { parameter, Lang.FromQuery(http.Request) == Lang.English ? "lang=en" : null }.Where(p => p is not null).ToList();
        return parameters.Count == 0 ? path : path + (path.Contains('?') ? "&" : "?") + string.Join("&", parameters);
    }
}
