using System.Threading.RateLimiting;
using CareerRelay.Web.Features.Registrations;
using CareerRelay.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.RateLimiting;

namespace CareerRelay.Web.Infrastructure.Web;

public sealed class RateLimitingOptions
{
    /// <summary>Requests per minute per IP on public routes; 0 turns the limit off.</summary>
    public int PublicPermitsPerMinute { get; set; } = 60;
}

public static class PublicRateLimiting
{
    public static IServiceCollection AddPublicRateLimiting(this IServiceCollection services, IConfiguration config)
    {
        var permits = config.GetSection("RateLimiting").Get<RateLimitingOptions>()?.PublicPermitsPerMinute ?? 60;
        // Per client address and minute, counted across every node (SharedRateLimits.cs).
        services.AddSingleton<SharedRateCounter>();
        services.AddSingleton<RateLimitSync>().AddHostedService(sp => sp.GetRequiredService<RateLimitSync>());
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(PublicEndpoints.RateLimitPolicy, http =>
            {
                if (permits <= 0) return RateLimitPartition.GetNoLimiter("off");
                var counter = http.RequestServices.GetRequiredService<SharedRateCounter>();
                var bucket = counter.BucketFor(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                return RateLimitPartition.Get(bucket, b => new SharedWindowLimiter(counter, b, permits));
            });
            options.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = "60";
                if (http.Request.Path.StartsWithSegments("/api"))
                {
                    await ProblemHandling.WriteAsync(http, new ApiError(429, ProblemCodes.RateLimited, "Too many requests",
                        "Too many requests from this address; try again in a minute."));
                    return;
                }
                var lang = Lang.FromQuery(http.Request);
                http.Response.StatusCode = 429;
                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.WriteAsync(
                    $"<!DOCTYPE html><html lang=\"{lang}\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{Texts.Get("RateLimited.Title", lang)}</title>" +
                    $"<h1>{Texts.Get("RateLimited.Title", lang)}</h1><p>{Texts.Get("RateLimited.Body", lang)}</p></html>", ct);
            };
        });
        return services;
    }
}
