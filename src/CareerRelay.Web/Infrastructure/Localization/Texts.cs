using System.Collections.Concurrent;
using System.Globalization;
using System.Resources;

namespace CareerRelay.Web.Infrastructure.Localization;

/// <summary>Text shown to people, from Texts.resx (日本語, the default) and Texts.en.resx.</summary>
/// <remarks>
/// Keys composed at run time (<c>Item.{field}</c>, <c>Stage.{stage}</c>, …) are declared with <see cref="TextKeysAttribute"/> on the
/// values they are composed from, and a test checks both files hold every key the code can ask for. Should one still be missing,
/// the page does not fail for it: the other language's text (or the key's last part) is shown and the miss is logged once.
/// </remarks>
public static class Texts
{
    private static readonly ResourceManager Resources =
        new("CareerRelay.Web.Infrastructure.Localization.Texts", typeof(Texts).Assembly);
    private static readonly CultureInfo Japanese = CultureInfo.GetCultureInfo("ja");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly ConcurrentDictionary<string, bool> ReportedMisses = new();
    private static ILogger? _logger;

    /// <summary>Where a missing text is reported (set once at start; tests without a host report nowhere).</summary>
    public static void ReportMissingTo(ILogger logger) => _logger = logger;

    public static string Get(string key, string lang) =>
        Resources.GetString(key, lang == Lang.English ? English : Japanese) ?? Fallback(key, lang);

    /// <summary>The text <paramref name="key"/> with its placeholders filled (the arguments on the stack, not in an array).</summary>
    public static string Format(string key, string lang, params ReadOnlySpan<object?> args) =>
        string.Format(CultureInfo.InvariantCulture, Get(key, lang), args);

    /// <summary>True when the key exists in the default (Japanese) file.</summary>
    public static bool Exists(string key) => Resources.GetString(key, Japanese) is not null;

    private static string Fallback(string key, string lang)
    {
        if (ReportedMisses.TryAdd($"{lang}:{key}", true))
            _logger?.LogError("Missing text {Key} ({Lang}); a fallback was shown", key, lang);
        var other = lang == Lang.English ? Japanese : English;
        // The invariant lookup is the Japanese file, so a key missing in English already found its Japanese text above;
        // here the key is missing in the reader's file: the other language is still better than a failed page.
        return Resources.GetString(key, other) ?? key[(key.LastIndexOf('.') + 1)..];
    }
}

/// <summary>The two languages: ja (default) and en.</summary>
public static class Lang
{
    public const string Japanese = "ja";
    public const string English = "en";

    public static string Normalize(string? value) =>
        value is not null && value.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Japanese;

    /// <summary>
    /// "?lang=en" for English readers, "" for Japanese (the default): how every link, redirect and mailed address keeps the
    /// reader's language. The one place that spelling lives.
    /// </summary>
    public static string Query(string lang) => lang == English ? "?lang=en" : "";

    /// <summary><see cref="Query(string)"/> for the language a page was asked in.</summary>
    public static string Query(HttpRequest request) => Query(FromQuery(request));

    /// <summary>"&amp;lang=en" for an address that already has a query.</summary>
    public static string Parameter(string lang) => lang == English ? "&lang=en" : "";

    /// <summary>Pages: <c>?lang=</c> decides, ja otherwise. APIs may also follow Accept-Language.</summary>
    public static string FromQuery(HttpRequest request) => Normalize(request.Query["lang"]);

    public static string FromRequest(HttpRequest request)
    {
        string? query = request.Query["lang"];
        return !string.IsNullOrEmpty(query) ? Normalize(query) : FromAcceptLanguage(request);
    }

    /// <summary>
    /// The reader's language from Accept-Language alone (where <c>?lang=</c> means something else, e.g. a mail's language):
    /// the first of the highest quality. Nothing is parsed when there is no header (an API client's usual request).
    /// </summary>
    public static string FromAcceptLanguage(HttpRequest request)
    {
        if (Microsoft.Extensions.Primitives.StringValues.IsNullOrEmpty(request.Headers.AcceptLanguage)) return Normalize(null);
        Microsoft.Net.Http.Headers.StringWithQualityHeaderValue? best = null;
        foreach (var language in request.GetTypedHeaders().AcceptLanguage)
            if (best is null || (language.Quality ?? 1) > (best.Quality ?? 1)) best = language;
        return Normalize(best?.Value.Value);
    }
}
