using System.Globalization;
using System.Resources;

namespace CareerRelay.Web.Infrastructure.Localization;

/// <summary>Text shown to people, from Texts.resx (日本語, the default) and Texts.en.resx.</summary>
public static class Texts
{
    private static readonly ResourceManager Resources =
        new("CareerRelay.Web.Infrastructure.Localization.Texts", typeof(Texts).Assembly);
    private static readonly CultureInfo Japanese = CultureInfo.GetCultureInfo("ja");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    public static string Get(string key, string lang) =>
        Resources.GetString(key, lang == Lang.English ? English : Japanese)
        ?? throw new KeyNotFoundException($"Missing text '{key}'.");

    public static string Format(string key, string lang, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, Get(key, lang), args);
}

/// <summary>The two languages: ja (default) and en.</summary>
public static class Lang
{
    public const string Japanese = "ja";
    public const string English = "en";

    public static string Normalize(string? value) =>
        value is not null && value.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Japanese;

    /// <summary>Pages: <c>?lang=</c> decides, ja otherwise. APIs may also follow Accept-Language.</summary>
    public static string FromQuery(HttpRequest request) => Normalize(request.Query["lang"]);

    public static string FromRequest(HttpRequest request)
    {
        string? query = request.Query["lang"];
        return !string.IsNullOrEmpty(query) ? Normalize(query) : FromAcceptLanguage(request);
    }

    /// <summary>The reader's language from Accept-Language alone (where <c>?lang=</c> means something else, e.g. a mail's language).</summary>
    public static string FromAcceptLanguage(HttpRequest request) =>
        Normalize(request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault()?.Value.Value);
}
