using System.Globalization;
using System.Net;
using System.Text;
using CareerRelay.Web.Features.Brand.Pages;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using CareerRelay.Web.Infrastructure.Web;
using Microsoft.Extensions.Caching.Memory;

namespace CareerRelay.Web.Features.Brand;

/// <summary>
/// The public company pages: /c/{slug} (a participating company's page), /c/{slug}/badge.svg (the badge for a career site or a mail
/// signature) and /companies (the directory). Read from <see cref="PublicProfiles"/>: no database call per view.
/// </summary>
public static class BrandPages
{
    public const int DirectoryPageSize = 30;

    internal static void Map(IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").RequireRateLimiting(PublicEndpoints.RateLimitPolicy).ExcludeFromDescription();
        // HEAD too: link checkers and crawlers ask before they fetch.
        pages.MapMethods("/c/{slug}", [HttpMethods.Get, HttpMethods.Head], ProfileAsync);
        pages.MapMethods("/c/{slug}/badge.svg", [HttpMethods.Get, HttpMethods.Head], BadgeAsync);
        pages.MapMethods("/companies", [HttpMethods.Get, HttpMethods.Head], DirectoryAsync);
    }

    private static async Task<IResult> ProfileAsync(string slug, [AsParameters] PublicFramePage page, PublicProfiles profiles,
        IMemoryCache cache, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var view = await profiles.GetAsync(slug, ct);
        if (view is null) return await PublicEndpoints.MessageAsync(page.Renderer, page.Site, lang, "NotFound", 404, null);
        page.Http.Response.Headers.CacheControl = "public, max-age=60";
        // The same bytes for everyone who sees this view in this language, rendered once as the landing page's are: rendering
        // on every request held the page at 0.4 of /healthz/live (issue 23's runs; target 0.5). A saved profile or new
        // figures are a new view, and so a new entry.
        var html = await cache.GetOrCreateAsync(("brand-page", view, lang), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(10);
            return Encoding.UTF8.GetBytes(await page.Renderer.RenderAsync<ProfilePage>(PageParameters.For<ProfilePage>()
                .With(p => p.Lang, lang)
                .With(p => p.View, view)
                .With(p => p.Operator, page.Site.Value.Operator)
                .With(p => p.SwitchLanguageUrl, $"/c/{slug}{Lang.Query(lang == Lang.English ? Lang.Japanese : Lang.English)}")));
        });
        return Results.Bytes(html!, "text/html; charset=utf-8");
    }

    private static async Task<IResult> BadgeAsync(string slug, HttpContext http, PublicProfiles profiles, CancellationToken ct)
    {
        var view = await profiles.GetAsync(slug, ct);
        if (view is null) return new ErrorPages.ErrorPageResult(StatusCodes.Status404NotFound);
        http.Response.Headers.CacheControl = "public, max-age=60";
        return Results.Text(Badge(view, Lang.FromQuery(http.Request)), "image/svg+xml; charset=utf-8");
    }

    /// <summary>「キャリアリレー参加企業」 and, from five people, how many the company's relay has supported. Plain SVG, no script.</summary>
    public static string Badge(PublicProfileView view, string lang)
    {
        var label = Texts.Get("Brand.Badge.Label", lang);
        var count = view.Supported is { } n ? Texts.Format("Brand.Badge.Supported", lang, n.ToString("N0", CultureInfo.InvariantCulture)) : null;
        static double Width(string s) => s.Sum(c => c < 0x2E80 ? 7.2 : 13.0);
        var left = Math.Ceiling(Width(label) + 20);
        var right = count is null ? 0 : Math.Ceiling(Width(count) + 20);
        var title = WebUtility.HtmlEncode(count is null ? $"{label} — {view.CompanyName}" : $"{label} — {view.CompanyName} — {count}");
        var width = (left + right).ToString(CultureInfo.InvariantCulture);
        var svg = $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="28" viewBox="0 0 {width} 28" role="img" aria-label="{title}">
            <title>{title}</title>
            <rect width="{width}" height="28" rx="4" fill="#0b6e4f"/>
            """;
        if (count is not null)
            svg += $"""

            <rect x="{left.ToString(CultureInfo.InvariantCulture)}" width="{right.ToString(CultureInfo.InvariantCulture)}" height="28" rx="4" fill="#1f2933"/>
            """;
        svg += $"""

            <g fill="#fff" font-family="'Noto Sans CJK JP','Hiragino Sans','Yu Gothic',sans-serif" font-size="13">
            <text x="10" y="18.5">{WebUtility.HtmlEncode(label)}</text>
            """;
        if (count is not null)
            svg += $"""

            <text x="{(left + 10).ToString(CultureInfo.InvariantCulture)}" y="18.5">{WebUtility.HtmlEncode(count)}</text>
            """;
        return svg + "\n</g>\n</svg>\n";
    }

    private static async Task<IResult> DirectoryAsync([AsParameters] PublicFramePage page, PublicProfiles profiles, CancellationToken ct)
    {
        var lang = Lang.FromQuery(page.Http.Request);
        var number = int.TryParse(page.Http.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100_000 ? n : 1;
        var all = await profiles.DirectoryAsync(ct);
        var entries = all.Skip((number - 1) * DirectoryPageSize).Take(DirectoryPageSize).ToList();
        page.Http.Response.Headers.CacheControl = "public, max-age=60";
        return PageRenderer.Html(await page.Renderer.RenderAsync<DirectoryPage>(PageParameters.For<DirectoryPage>()
            .With(p => p.Lang, lang)
            .With(p => p.Entries, entries)
            .With(p => p.PageNumber, number)
            .With(p => p.HasNext, all.Count > number * DirectoryPageSize)
            .With(p => p.Operator, page.Site.Value.Operator)
            .With(p => p.SwitchLanguageUrl, $"/companies{(number > 1 ? $"?page={number}" : "")}{(number > 1 ? Lang.Parameter(lang == Lang.English ? Lang.Japanese : Lang.English) : Lang.Query(lang == Lang.English ? Lang.Japanese : Lang.English))}")));
    }
}
