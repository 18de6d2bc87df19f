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
            options.OnRejected = (context, ct) => new ValueTask(ProblemHandling.WriteRetryLaterAsync(context.HttpContext, retryAfterSeconds: 60,
                new ApiError(429, ProblemCodes.RateLimited, "Too many requests", "Too many requests from this address; try again in a minute."),
                "RateLimited", ct));
        });
        return services;
    }
}
