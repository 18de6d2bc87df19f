using CareerRelay.Web.Features.CompanyConsole;
using CareerRelay.Web.Features.Operator;
using CareerRelay.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>The parts of the site a person moves in; an error page keeps the frame and the way back of the part it happened in.</summary>
public enum BrowserArea { Public, Me, Console, Agency, Operator }

/// <summary>
/// What a person sees when a browser request fails: a page in the frame of the area they were in (public, /me, console,
/// agency, operator), in their language, saying what happened and how to go on — never problem+json, never an empty body.
/// The API keeps problem+json. Three ways in: a status code without a body (unknown address, a handler's bare 404),
/// an unhandled exception (500), and a form body that cannot be read (a NUL byte, broken multipart, too large: 400/413).
/// </summary>
public static class ErrorPages
{
    /// <summary>The statuses with words of their own; any other 4xx reads as 400, 5xx as 500.</summary>
    [TextKeys("ErrorPage.{0}.Title"), TextKeys("ErrorPage.{0}.Body")]
    public static readonly string[] Statuses = ["400", "403", "404", "405", "409", "410", "413", "429", "500", "503"];

    /// <summary>The way back from each area (and to the sign-in page, for a visitor who is not signed in).</summary>
    [TextKeys("ErrorPage.Back.{0}")]
    public static readonly string[] WaysBack = ["public", "signin", "me", "console", "agency", "operator"];

    /// <summary>Requests answered with problem+json or plain text rather than a page.</summary>
    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi") || request.Path.StartsWithSegments("/healthz")
        || request.Path.StartsWithSegments("/line/webhook") // LINE's servers post JSON there: a machine, answered in problem+json
        || request.Path.StartsWithSegments("/mail/bounces"); // so do mail providers

    public static BrowserArea AreaOf(HttpRequest request) => request.Path switch
    {
        var p when p.StartsWithSegments("/me") => BrowserArea.Me,
        var p when p.StartsWithSegments("/console") => BrowserArea.Console,
        var p when p.StartsWithSegments("/agency") => BrowserArea.Agency,
        // Schools' and providers' workspaces are drawn in the console's frame, with their own navigation.
        var p when p.StartsWithSegments("/school") || p.StartsWithSegments("/provider") => BrowserArea.Console,
        var p when p.StartsWithSegments("/operator") || p.StartsWithSegments("/admin") => BrowserArea.Operator,
        _ => BrowserArea.Public,
    };

    public static IServiceCollection AddErrorPages(this IServiceCollection services) =>
        // After the problem handlers (bad JSON, database down), so it only sees what they leave: a browser request that failed.
        services.AddExceptionHandler<BrowserExceptionHandler>();

    /// <summary>
    /// Reads a browser form's body before anything else does, so a body that cannot be read (a NUL byte in a value, broken
    /// multipart, over the route's size limit) is a 400/413 page here rather than an exception inside anti-forgery or a
    /// handler. The form is cached on the request: handlers read the same one.
    /// </summary>
    public static WebApplication UseFormBodyGuard(this WebApplication app)
    {
        // Everything but a browser form's POST passes straight through, without an async step of its own (a registration
        // through the API paid for one on every request; issue 23).
        app.Use(next => http => !HttpMethods.IsPost(http.Request.Method) || IsApi(http.Request) ? next(http) : GuardFormAsync(http, next));
        return app;
    }

    private static async Task GuardFormAsync(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        if (!request.HasFormContentType)
        {
            // A browser form always sends a form. Anything else with a body (JSON, text) is not one of ours: 415. Without a
            // body (curl -X POST) the handlers see an empty form, so they answer their own "missing" rather than throw.
            if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                await WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, "ErrorPage.UnreadableForm");
                return;
            }
            http.Features.Set<IFormFeature>(new FormFeature(FormCollection.Empty));
            await next(http);
            return;
        }
        if (http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { MaxRequestBodySize: { } limit }
            && http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        int? refused;
        try
        {
            await request.ReadFormAsync(http.RequestAborted);
            refused = null;
        }
        catch (BadHttpRequestException bad)
        {
            refused = bad.StatusCode; // over the size limit (413), a body cut short
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException && !http.RequestAborted.IsCancellationRequested)
        {
            refused = StatusCodes.Status400BadRequest; // a NUL byte in a value, multipart without its end
        }
        if (refused is { } status)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorPages))
                .LogInformation("Refused an unreadable form body on {Path}: status {Status}", request.Path, status);
            await WriteAsync(http, status, "ErrorPage.UnreadableForm");
            return;
        }
        await next(http);
    }

    /// <summary>
    /// Writes the error page for <paramref name="status"/>; <paramref name="bodyKey"/> says more than the status's own words.
    /// <paramref name="publicFrame"/>: do not look for a session (the database is the thing that failed).
    /// </summary>
    public static async Task WriteAsync(HttpContext http, int status, string? bodyKey = null, string? titleKey = null, bool publicFrame = false)
    {
        var html = await RenderAsync(http, status, bodyKey, titleKey, publicFrame);
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(html, http.RequestAborted);
    }

    /// <summary>The same page as a handler's answer: <c>return new ErrorPageResult(404);</c>.</summary>
    public sealed class ErrorPageResult(int status, string? bodyKey = null, string? titleKey = null) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;
        public Task ExecuteAsync(HttpContext http) => WriteAsync(http, status, bodyKey, titleKey);
    }

    private static async Task<string> RenderAsync(HttpContext http, int status, string? bodyKey, string? titleKey, bool publicFrame)
    {
        var lang = Lang.FromQuery(http.Request);
        var known = Statuses.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture)) ? status : status >= 500 ? 500 : 400;
        var area = AreaOf(http.Request);
        var services = http.RequestServices;
        var reference = status >= 500 ? System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier : null;
        var renderer = services.GetRequiredService<PageRenderer>();
        PageParameters<ErrorPage> Page(PageFrame frame) => PageParameters.For<ErrorPage>()
            .With(p => p.Lang, lang)
            .With(p => p.Status, status)
            .With(p => p.Title, Texts.Get(titleKey ?? $"ErrorPage.{known}.Title", lang))
            .With(p => p.Body, Texts.Get(bodyKey ?? $"ErrorPage.{known}.Body", lang))
            .With(p => p.Reference, reference)
            .With(p => p.Operator, services.GetRequiredService<IOptions<CareerRelayOptions>>().Value.Operator)
            // A language switch re-asks the same address: only where that is a GET.
            .With(p => p.SwitchLanguageUrl, LanguageSwitch.For(http.Request))
            .With(p => p.Area, frame.Area).With(p => p.Back, frame.Back).With(p => p.BackText, frame.BackText)
            .With(p => p.Frame, frame.Console).With(p => p.OperatorToken, frame.OperatorToken);
        try
        {
            return await renderer.RenderAsync(Page(publicFrame ? Home(lang) : await FrameAsync(http, area, lang)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The frame itself failed (a session that cannot be read, a broken database): the plain public frame still answers.
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorPages)).LogWarning(ex, "The error page's frame failed on {Path}", http.Request.Path);
            return await renderer.RenderAsync(Page(Home(lang)));
        }
    }

    /// <summary>Where an error page is drawn: the area, where "back" leads and what it says, and the signed-in frame's own parts.</summary>
    private sealed record PageFrame(BrowserArea Area, string Back, string BackText, ConsoleFrame? Console = null, string? OperatorToken = null);

    /// <summary>The frame the page is drawn in, where "back" leads and what it says: the signed-in area's own, else the public one.</summary>
    private static async Task<PageFrame> FrameAsync(HttpContext http, BrowserArea area, string lang)
    {
        var q = Lang.Query(lang);
        switch (area)
        {
            case BrowserArea.Console or BrowserArea.Agency:
                var console = await http.AuthenticateAsync(ConsoleAuth.Scheme);
                if (!console.Succeeded) return new(BrowserArea.Public, "/signin" + q, Texts.Get("ErrorPage.Back.signin", lang));
                http.User = console.Principal!;
                var user = http.RequestServices.GetRequiredService<ConsoleUser>();
                var frame = ConsolePages.Frame(http, user, http.RequestServices.GetRequiredService<IAntiforgery>());
                return user.TenantType switch
                {
                    TenantTypes.Agency => new(BrowserArea.Agency, "/agency" + q, Texts.Get("ErrorPage.Back.agency", lang), frame),
                    TenantTypes.School or TenantTypes.Provider => new(BrowserArea.Console, TenantTypes.Home(user.TenantType) + q,
                        Texts.Get("ErrorPage.Back.console", lang), frame),
                    _ => new(BrowserArea.Console, "/console" + q, Texts.Get("ErrorPage.Back.console", lang), frame),
                };
            case BrowserArea.Operator:
                var op = await http.AuthenticateAsync(OperatorConsole.Scheme);
                if (!op.Succeeded) return new(BrowserArea.Operator, "/operator/signin" + q, Texts.Get("ErrorPage.Back.signin", lang));
                http.User = op.Principal!;
                return new(BrowserArea.Operator, "/operator" + q, Texts.Get("ErrorPage.Back.operator", lang),
                    OperatorToken: http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken);
            case BrowserArea.Me:
                return new(BrowserArea.Me, "/me" + q, Texts.Get("ErrorPage.Back.me", lang));
            case BrowserArea.Public when http.Request.Path.StartsWithSegments("/signin"):
                return new(BrowserArea.Public, "/signin" + q, Texts.Get("ErrorPage.Back.signin", lang));
            default:
                return Home(lang);
        }
    }

    private static PageFrame Home(string lang) => new(BrowserArea.Public, "/" + Lang.Query(lang), Texts.Get("ErrorPage.Back.public", lang));

    /// <summary>The last word on an exception in a browser request: logged by the framework already, answered with the 500 page here.</summary>
    private sealed class BrowserExceptionHandler : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            if (IsApi(http.Request) || http.Response.HasStarted) return false;
            var status = exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            await WriteAsync(http, status);
            return true;
        }
    }
}
