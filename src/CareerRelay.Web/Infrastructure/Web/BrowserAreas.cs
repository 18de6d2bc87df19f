using Microsoft.AspNetCore.Antiforgery;

namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>
/// How an area answers a form it refuses before the handler runs: an anti-forgery token that is missing or stale (a page left
/// open for hours, another site's form), or — on the public pages, which carry no token — a POST from another site.
/// The area's own page, in the reader's language; an endpoint may declare its own (a sign-out that simply goes back).
/// </summary>
public sealed record FormRefusal(Func<HttpContext, Task<IResult>> Answer);

/// <summary>Marks a browser route whose unsafe methods are checked by the area before the handler (read by tests from the routing table).</summary>
public enum FormCheck
{
    /// <summary>The session's anti-forgery token (/me, /signin, /console, /agency, /operator).</summary>
    AntiforgeryToken,

    /// <summary>The browser's Origin / Sec-Fetch-Site headers (public pages that are cached and shared, so carry no per-visitor token).</summary>
    SameSiteOrigin,
}

/// <summary>
/// One route group per browser area: excluded from the API description, and every unsafe method (POST …) passes the area's
/// check before its handler runs, answering the area's <see cref="FormRefusal"/> — so no handler can forget it. The
/// framework's own anti-forgery check is off: it would answer a bare 400 and only for <c>[FromForm]</c> parameters.
/// Sign-in requirements are set by the feature's own area builder (<c>MapConsolePages</c>, <c>MapMePages</c> …).
/// </summary>
public static class BrowserAreas
{
    /// <summary>Pages whose forms carry the session's anti-forgery token.</summary>
    public static RouteGroupBuilder MapFormPages(this IEndpointRouteBuilder app, string prefix, Func<HttpContext, Task<IResult>> refused) =>
        Map(app, prefix, FormCheck.AntiforgeryToken, refused, static async http =>
            await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http));

    /// <summary>Public pages without a per-visitor token: a POST must come from this site (SPEC §6).</summary>
    public static RouteGroupBuilder MapPublicFormPages(this IEndpointRouteBuilder app, string prefix, Func<HttpContext, Task<IResult>> refused) =>
        Map(app, prefix, FormCheck.SameSiteOrigin, refused, static http =>
            Task.FromResult(!PublicFormGuard.IsCrossSite(http.Request, http.RequestServices.GetRequiredService<PublicUrls>())));

    /// <summary>This endpoint answers a refused form its own way instead of the area's.</summary>
    public static TBuilder OnFormRefused<TBuilder>(this TBuilder builder, Func<HttpContext, Task<IResult>> refused) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FormRefusal(refused));

    private static RouteGroupBuilder Map(IEndpointRouteBuilder app, string prefix, FormCheck check, Func<HttpContext, Task<IResult>> refused,
        Func<HttpContext, Task<bool>> accepts)
    {
        var group = app.MapGroup(prefix).ExcludeFromDescription().DisableAntiforgery().WithMetadata(new FormRefusal(refused));
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            if (!endpoint.Metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods).Any(IsUnsafe)) return;
            endpoint.Metadata.Add(check);
            endpoint.FilterFactories.Add((_, next) => async invocation =>
            {
                var http = invocation.HttpContext;
                if (IsUnsafe(http.Request.Method) && !await accepts(http))
                    // The last FormRefusal wins: an endpoint's own, else its area's.
                    return await http.GetEndpoint()!.Metadata.GetOrderedMetadata<FormRefusal>()[^1].Answer(http);
                return await next(invocation);
            });
        });
        return group;
    }

    private static bool IsUnsafe(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));
}
