namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>
/// Browser hardening on every answer: no MIME sniffing, never framed (a consent form inside another site's
/// frame could be clickjacked), no referrer (tokens live in some paths), HSTS when served over HTTPS.
/// Every page of ours gets a CSP without 'unsafe-inline': styles and the console's one script come from
/// /assets on our own origin. Only the third-party API reference (/api/docs, Swagger UI) needs inline
/// styles and keeps a CSP of its own.
/// </summary>
public static class SecurityHeaders
{
    private const string PagePolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private const string ApiDocsPolicy =
        "default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    // Set as the answer starts (after an error page replaced the handler's headers, too). A static callback with the
    // context as its state: no closure and no async state machine per request (issue 23, P0).
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(AddHeaders, http);
        return next(http);
    });

    private static readonly Func<object, Task> AddHeaders = state =>
    {
        var http = (HttpContext)state;
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (http.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/api/docs") ? ApiDocsPolicy : PagePolicy;
        return Task.CompletedTask;
    };
}
