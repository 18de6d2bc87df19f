using System.Globalization;
using System.Security.Claims;
using CareerRelay.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CareerRelay.Web.Infrastructure.Auth;

/// <summary>
/// The browser sessions (company console, candidate page, operator pages) are cookies of the same make:
/// <c>__Host-</c> and always Secure when served over HTTPS, HttpOnly, 30 minutes idle (sliding), 12 hours
/// absolute from a sign-in time claim, and a check on every request that whoever signed in still may —
/// so removing a person, erasing a candidate or revoking a key ends their session at once.
/// </summary>
public static class SessionCookies
{
    public const string SignedInAtClaim = "signed_in_at";
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan AbsoluteTimeout = TimeSpan.FromHours(12);

    /// <param name="stillValid">Asked on every request with the database and the cookie's principal.</param>
    public static AuthenticationBuilder AddSessionCookie(this AuthenticationBuilder auth, IServiceCollection services, string scheme, string cookieName,
        string loginPath, SameSiteMode sameSite, Func<CareerRelayDb, ClaimsPrincipal, CancellationToken, Task<bool>> stillValid,
        Action<CookieAuthenticationOptions>? more = null)
    {
        // Cookie names and the Secure flag follow the public address, known only once the server listens.
        services.AddOptions<CookieAuthenticationOptions>(scheme).PostConfigure<PublicUrls>((o, urls) =>
        {
            o.Cookie.Name = CookieName(cookieName, urls);
            o.Cookie.SecurePolicy = IsHttps(urls) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        return auth.AddCookie(scheme, o =>
        {
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = sameSite;
            o.Cookie.Path = "/";
            o.ExpireTimeSpan = IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = loginPath;
            o.Events.OnValidatePrincipal = async context =>
            {
                var requestServices = context.HttpContext.RequestServices;
                var clock = requestServices.GetRequiredService<TimeProvider>();
                var signedIn = context.Principal?.FindFirstValue(SignedInAtClaim);
                var expired = signedIn is null || !long.TryParse(signedIn, out var ticks) || clock.GetUtcNow().UtcTicks - ticks > AbsoluteTimeout.Ticks;
                if (expired || !await stillValid(requestServices.GetRequiredService<CareerRelayDb>(), context.Principal!, context.HttpContext.RequestAborted))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(scheme);
                }
            };
            more?.Invoke(o);
        });
    }

    public static Claim SignedInAt(DateTimeOffset now) => new(SignedInAtClaim, now.UtcTicks.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Served over HTTPS (production): <c>__Host-</c> cookies, always Secure. Over plain HTTP (the one-command
    /// local run on http://localhost) browsers refuse <c>__Host-</c> cookies, so the prefix is dropped there.
    /// </summary>
    public static string CookieName(string name, PublicUrls urls) => IsHttps(urls) ? "__Host-" + name : name;

    public static bool IsHttps(PublicUrls urls) => urls.Base.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
