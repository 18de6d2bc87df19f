namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>
/// Browser hardening. Every answer: no MIME sniffing, never framed (a consent form inside another site's
/// frame could be clickjacked). Candidate pages, which need no script at all, get a strict CSP; the
/// console allows only its own script file (one-click copy), never inline script.
/// </summary>
public static class SecurityHeaders
{
    private const string CandidatePagePolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private const string ConsolePolicy =
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            var path = http.Request.Path;
            if (path.StartsWithSegments("/console"))
                headers.ContentSecurityPolicy = ConsolePolicy;
            else if (path.StartsWithSegments("/r") || path.StartsWithSegments("/verify") || path.StartsWithSegments("/signin"))
                headers.ContentSecurityPolicy = CandidatePagePolicy;
            return Task.CompletedTask;
        });
        await next(http);
    });
}
