using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>The link to the same page in the other language: the path and its query kept (a report's month, a search), lang toggled.</summary>
public static class LanguageSwitch
{
    /// <summary>Null for a page that answers a POST (a refused form): its address is the form's target, not a page to go back to.</summary>
    public static string? For(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method)) return null;
        var other = Lang.FromQuery(request) == Lang.English ? Lang.Japanese : Lang.English;
        var query = request.Query.Where(q => q.Key != "lang").SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append("lang=" + other);
        return request.PathBase + request.Path + "?" + string.Join("&", query);
    }
}
