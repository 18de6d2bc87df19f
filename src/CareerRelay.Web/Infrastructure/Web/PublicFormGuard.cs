namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>
/// Public forms carry no per-visitor anti-forgery cookie (so the landing page can be cached); instead a
/// browser's own Origin and Sec-Fetch-Site headers must show the POST came from this site (SPEC §6).
/// Non-browser clients send neither header and are judged by the API's own rules.
/// </summary>
public static class PublicFormGuard
{
    /// <summary>What the public API answers a browser form from another site (the pages answer their own "CrossSite" page).</summary>
    public static ApiError CrossSiteError => new(403, ProblemCodes.CrossSiteRequest, "Cross-site request", "Forms from other sites are not accepted.");

    public static bool IsCrossSite(HttpRequest request, PublicUrls urls)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site") return true;
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin) || origin == "null" && site is "same-origin") return false;
        var own = $"{request.Scheme}://{request.Host}";
        return !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(origin, OriginOf(urls.Base), StringComparison.OrdinalIgnoreCase);
    }

    private static string OriginOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Authority) : url;
}
