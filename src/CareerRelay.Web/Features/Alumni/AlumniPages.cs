using CareerRelay.Web.Features.Alumni.Pages;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Features.Registrations.Pages;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using CareerRelay.Web.Infrastructure.Web.Forms;

namespace CareerRelay.Web.Features.Alumni;

/// <summary>
/// The public alumni pages: /a/{token} (join), /a/confirm/{code} (confirm by POST) and /a/unsubscribe/{token} (stop the
/// welcome-back mails, one click). No key; rate-limited per IP, like the relay pages.
/// </summary>
public static class AlumniPages
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var pages = app.MapPublicPages("/a");
        pages.MapGet("/{token}", JoinPageAsync);
        pages.MapPost("/{token}", JoinFormAsync);
        pages.MapGet("/confirm/{code}", (string code, [AsParameters] PublicFramePage page) =>
            PublicEndpoints.MessageAsync(page.Renderer, page.Site, Lang.FromQuery(page.Http.Request), "Alumni.Confirm", 200, $"/a/confirm/{code}{Lang.Query(page.Http.Request)}", "Alumni.Confirm.Button"));
        pages.MapPost("/confirm/{code}", ConfirmAsync);

        // One-click unsubscribe (RFC 8058): mail providers POST without an Origin; harmless and idempotent.
        var unsubscribe = app.MapGroup("/a/unsubscribe").RequireRateLimiting(PublicEndpoints.RateLimitPolicy).ExcludeFromDescription().DisableAntiforgery();
        unsubscribe.MapGet("/{token}", (string token, [AsParameters] PublicFramePage page, ManageAlumni alumni) =>
            alumni.IsUnsubscribeToken(token)
                ? PublicEndpoints.MessageAsync(page.Renderer, page.Site, Lang.FromQuery(page.Http.Request), "Alumni.Unsubscribe", 200, $"/a/unsubscribe/{token}{Lang.Query(page.Http.Request)}", "Unsubscribe.Button")
                : Task.FromResult<IResult>(new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound)));
        unsubscribe.MapPost("/{token}", async (string token, [AsParameters] PublicFramePage page, ManageAlumni alumni, CancellationToken ct) =>
            await alumni.UnsubscribeAsync(token, ct)
                ? await PublicEndpoints.MessageAsync(page.Renderer, page.Site, Lang.FromQuery(page.Http.Request), "Alumni.Unsubscribed", 200, null)
                : new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound));
    }

    private static async Task<IResult> JoinPageAsync(string token, [AsParameters] PublicFramePage page, JoinAlumni join, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var entry = await join.ResolveAsync(token, ct);
        if (entry is null) return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);
        page.Http.Response.Headers.CacheControl = "no-store";
        return await RenderAsync(page, join, entry, token, lang, null, FormErrors.None, 200, ct);
    }

    private static async Task<IResult> JoinFormAsync(string token, [AsParameters] PublicFramePage page, JoinAlumni join, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        if (!page.Http.Request.HasFormContentType) return new ErrorPages.ErrorPageResult(StatusCodes.Status415UnsupportedMediaType);
        var entry = await join.ResolveAsync(token, ct);
        if (entry is null) return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);
        var form = await page.Http.Request.ReadFormAsync(ct);
        lang = Lang.Normalize(form["lang"].FirstOrDefault() ?? lang);
        var typed = form.ToDictionary(f => f.Key, f => f.Value.Select(v => v ?? "").ToArray());
        int? Year(string field, Validation v)
        {
            var text = form[field].ToString().Trim();
            if (text.Length == 0) return null;
            if (int.TryParse(text, out var year)) return year;
            v.Add(field, "Error.Year");
            return null;
        }
        var numbers = new Validation();
        var request = new AlumniJoinRequest(token, form["name"], form["email"], Year("joinedYear", numbers), Year("leftYear", numbers), form["lastRole"],
            [.. form["openTo"].Select(v => v ?? "")], [.. form["share"].Select(v => v ?? "")],
            new ConsentInput(int.TryParse(form["noticeVersion"], out var nv) ? nv : null, [.. form["agencyIds"].Select(v => v ?? "")]), lang);
        var result = numbers.IsValid ? await join.JoinAsync(request, page.Http.Connection.RemoteIpAddress?.ToString(), lang, ct) : numbers.ToError(lang);
        if (result.Failed)
        {
            if (result.Error!.Code == ProblemCodes.LinkPaused) return await RenderAsync(page, join, entry, token, lang, null, FormErrors.None, 410, ct);
            return await RenderAsync(page, join, entry, token, lang, typed, FormErrors.From(result.Error, lang), 400, ct);
        }
        return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "Alumni.Sent", 200, null);
    }

    private static async Task<IResult> ConfirmAsync(string code, [AsParameters] PublicFramePage page, JoinAlumni join, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var result = await join.ConfirmAsync(code, ct);
        if (result.Failed)
            return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, result.Error!.Status == 410 ? "Expired" : "NotFound", result.Error.Status, null);
        // What happens now, and where the person sees what the company sees and leaves again.
        return PageRenderer.Html(await page.Renderer.RenderAsync<MessagePage>(PageParameters.For<MessagePage>()
            .With(p => p.Lang, lang)
            .With(p => p.Title, Texts.Get("Alumni.Confirmed.Title", lang))
            .With(p => p.Body, Texts.Format("Alumni.Confirmed.Body", lang, result.Value!))
            .With(p => p.Operator, page.Site.Value.Operator)
            .With(p => p.LinkHref, "/me" + Lang.Query(lang))
            .With(p => p.LinkText, Texts.Get("Verified.MyPage", lang))));
    }

    private static async Task<IResult> RenderAsync(PublicFramePage page, JoinAlumni join, AlumniEntry entry, string token, string lang,
        IReadOnlyDictionary<string, string[]>? typed, FormErrors errors, int status, CancellationToken ct)
    {
        var (agencies, notice) = await join.ConsentChoiceAsync(entry.Link.CompanyId, ct);
        return PageRenderer.Html(await page.Renderer.RenderAsync<AlumniJoinPage>(PageParameters.For<AlumniJoinPage>()
            .With(p => p.Lang, lang)
            .With(p => p.Entry, entry)
            .With(p => p.Agencies, agencies)
            .With(p => p.Notice, notice)
            .With(p => p.Typed, typed)
            .With(p => p.Errors, errors)
            .With(p => p.Operator, page.Site.Value.Operator)
            .With(p => p.ThisYear, JapanCalendar.ToJst(page.Http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime).Year)
            .With(p => p.FormAction, $"/a/{token}{Lang.Query(lang)}")
            .With(p => p.SwitchLanguageUrl, $"/a/{token}{Lang.Query(lang == Lang.English ? Lang.Japanese : Lang.English)}")), status);
    }
}
