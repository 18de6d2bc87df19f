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
        services.AddSingleton(new PublicRateLimit(permits > 0));
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
            options.OnRejected = (context, ct) => new ValueTask(ProblemHandling.WriteRetryLaterAsync(context.HttpContext, retryAfterSeconds: 60,
                new ApiError(429, ProblemCodes.RateLimited, "Too many requests", "Too many requests from this address; try again in a minute."),
                "RateLimited", ct));
        });
        return services;
    }

    /// <summary>
    /// The rate limiter's middleware, only where a limit is on: with <c>PublicPermitsPerMinute</c> 0 every request would still
    /// go through it (a partition lookup, a lease and its metrics, an extra async step — ~2 µs of a registration) to be told "no limit".
    /// </summary>
    public static WebApplication UsePublicRateLimiting(this WebApplication app)
    {
        if (app.Services.GetRequiredService<PublicRateLimit>().On) app.UseRateLimiter();
        return app;
    }
}

/// <summary>Whether the public limit is on, as <see cref="PublicRateLimiting.AddPublicRateLimiting"/> read it.</summary>
public sealed record PublicRateLimit(bool On);
