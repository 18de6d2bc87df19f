using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>What every console page's frame needs: the reader's language, who is signed in, and the form token.</summary>
public sealed record ConsoleFrame(string Lang, string UserEmail, bool IsAdmin, string AntiforgeryToken, bool IsAgency = false)
{
    /// <summary>"?lang=en" for English readers, so links and redirects keep the language.</summary>
    public string LangQuery => Lang == CareerRelay.Web.Infrastructure.Localization.Lang.English ? "?lang=en" : "";
}

/// <summary>The small pieces every console handler shares: rendering a page in its frame, checking a form, answering errors.</summary>
internal static class ConsolePages
{
    public static ConsoleFrame Frame(HttpContext http, ConsoleUser user, IAntiforgery antiforgery) =>
        new(Lang.FromQuery(http.Request), user.Email, user.IsAdmin, antiforgery.GetAndStoreTokens(http).RequestToken ?? "", user.IsAgencyUser);

    /// <summary>Renders a console page with the frame every page needs. Pages are never cached: they hold a tenant's figures.</summary>
    public static async Task<IResult> RenderAsync<TPage>(HttpContext http, ConsoleUser user, PageRenderer renderer,
        IAntiforgery antiforgery, Dictionary<string, object?> parameters, int status = 200) where TPage : IComponent
    {
        parameters["Frame"] = Frame(http, user, antiforgery);
        http.Response.Headers.CacheControl = "no-store";
        return PageRenderer.Html(await renderer.RenderAsync<TPage>(parameters), status);
    }

    /// <summary>A form posted without a valid anti-forgery token (another site's form, or a page left open for hours).</summary>
    public static IResult FormExpired(HttpContext http) => new ErrorPages.ErrorPageResult(StatusCodes.Status400BadRequest, "Console.FormExpired.Body", "Console.FormExpired.Title");

    /// <summary>Another company's id, or one that never existed: the same friendly page, never a hint which.</summary>
    public static IResult NotFound() => new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound, "Console.NotFound.Body", "Console.NotFound.Title");

    public static string ErrorText(ApiError error) =>
        error.Errors is { Count: > 0 } errors
            ? string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")))
            : error.Detail ?? error.Title;

    public static string LangSuffix(HttpContext http) => Lang.FromQuery(http.Request) == Lang.English ? "?lang=en" : "";

    public static IResult RedirectTo(HttpContext http, string path) => Results.Redirect(path + LangSuffix(http));
}
