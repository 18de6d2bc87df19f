using System.Collections.Frozen;
using System.Security.Cryptography;

namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>
/// The few static files the pages need (style sheets, the console's script), embedded in the assembly and
/// served from /assets with a content hash in the URL: cached for a year, and a new build changes the URL.
/// Files from our own origin are what lets the CSP forbid every inline style and script.
/// </summary>
public static class StaticAssets
{
    private const string Prefix = "assets/";

    private sealed record Asset(byte[] Bytes, string ContentType, string Version);

    private static readonly FrozenDictionary<string, Asset> Files = Load();

    public static string Url(string name) => $"/assets/{name}?v={Files[name].Version}";

    public static IEndpointRouteBuilder MapStaticAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{name}", (string name, HttpContext http) =>
        {
            if (!Files.TryGetValue(name, out var asset)) return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            http.Response.Headers.ETag = $"\"{asset.Version}\"";
            return Results.Bytes(asset.Bytes, asset.ContentType);
        }).ExcludeFromDescription();
        return app;
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var files = new Dictionary<string, Asset>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[Prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                _ => "application/octet-stream",
            };
            files[name] = new Asset(bytes, type, Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
        }
        return files.ToFrozenDictionary();
    }
}
