using CareerRelay.Web.Features.Home.Pages;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Features.Home;

/// <summary>
/// "/": what CareerRelay is for each of its users and the way in for each — the company console and agency workspace
/// (/signin), the candidate's own page (/me), the operator (/operator) — the operator's legally required details and the
/// API reference. The same for everyone, so its bytes are kept per language.
/// </summary>
public static class HomeFeature
{
    public static IEndpointRouteBuilder MapHome(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", HomeAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> HomeAsync(HttpContext http, PageRenderer renderer, IMemoryCache cache,
        IOptions<CareerRelayOptions> site)
    {
        var lang = Lang.FromQuery(http.Request);
        var html = await cache.GetOrCreateAsync(("home", lang), _ => renderer.RenderAsync<HomePage>(PageParameters.For<HomePage>()
            .With(p => p.Lang, lang)
            .With(p => p.Operator, site.Value.Operator)));
        http.Response.Headers.CacheControl = "public, max-age=300";
        return PageRenderer.Html(html!);
    }
}
