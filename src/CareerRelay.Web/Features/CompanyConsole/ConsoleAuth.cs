using System.Security.Claims;
using CareerRelay.Web.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>
/// The console's session: a <c>__Host-</c> cookie (Secure, HttpOnly, SameSite=Lax, whole site) when served over
/// HTTPS, ended after
/// 30 minutes idle or 12 hours in total, or at once when the person is removed or their role changes,
/// and anti-forgery tokens on every form. The tenant comes from the
/// signed-in user's claims only.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "Console";
    public const string Policy = "console";
    public const string AdminPolicy = "console-admin";
    public const string CompanyClaim = "company";
    public const string SignedInAtClaim = "signed_in_at";
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan AbsoluteTimeout = TimeSpan.FromHours(12);

    public static WebApplicationBuilder AddCompanyConsole(this WebApplicationBuilder builder)
    {
        // Cookie and anti-forgery keys survive restarts (and, with a shared data folder, several processes).
        builder.Services.AddDataProtection().SetApplicationName("CareerRelay")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(DataServices.DataDirectory(builder.Configuration, builder.Environment), "keys", "dataprotection")));
        builder.Services.AddAntiforgery(o => o.FormFieldName = "__af");
        // Cookie names and the Secure flag follow the public address, known only once the server listens.
        builder.Services.AddOptions<AntiforgeryOptions>().PostConfigure<PublicUrls>((o, urls) =>
        {
            o.Cookie.Name = CookieName("cr_af", urls);
            o.Cookie.SecurePolicy = IsHttps(urls) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddOptions<CookieAuthenticationOptions>(Scheme).PostConfigure<PublicUrls>((o, urls) =>
        {
            o.Cookie.Name = CookieName("cr_console", urls);
            o.Cookie.SecurePolicy = IsHttps(urls) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.Path = "/";
            o.ExpireTimeSpan = IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/console";
            o.Events.OnValidatePrincipal = async context =>
            {
                var services = context.HttpContext.RequestServices;
                var clock = services.GetRequiredService<TimeProvider>();
                var signedIn = context.Principal?.FindFirstValue(SignedInAtClaim);
                var expired = signedIn is null || !long.TryParse(signedIn, out var ticks) || clock.GetUtcNow().UtcTicks - ticks > AbsoluteTimeout.Ticks;
                // A removed person, or one whose role changed, is out at their next request, not when the cookie runs out.
                var userId = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
                var role = context.Principal?.FindFirstValue(ClaimTypes.Role);
                if (expired || !await services.GetRequiredService<CareerRelayDb>().CompanyUsers
                        .AnyAsync(u => u.Id == userId && u.Role == role && u.DisabledAt == null, context.HttpContext.RequestAborted))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(Scheme);
                }
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(CompanyClaim))
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(CompanyClaim).RequireRole(ConsoleRoles.Admin));
        builder.Services.AddScoped<ConsoleUser>();
        return builder;
    }

    /// <summary>
    /// Served over HTTPS (production): <c>__Host-</c> cookies, always Secure. Over plain HTTP (the one-command
    /// local run on http://localhost) browsers refuse <c>__Host-</c> cookies, so the prefix is dropped there.
    /// </summary>
    public static string CookieName(string name, PublicUrls urls) => IsHttps(urls) ? "__Host-" + name : name;

    private static bool IsHttps(PublicUrls urls) => urls.Base.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static ClaimsPrincipal PrincipalFor(CompanyUser user, DateTimeOffset now) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Email, user.Email),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(CompanyClaim, user.CompanyId),
            new Claim(SignedInAtClaim, now.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], Scheme));
}

/// <summary>The signed-in console user, read once from the cookie's claims.</summary>
public sealed class ConsoleUser(IHttpContextAccessor accessor)
{
    private ClaimsPrincipal User => accessor.HttpContext?.User ?? new ClaimsPrincipal();
    public string Id => User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in to the console.");
    public string CompanyId => User.FindFirstValue(ConsoleAuth.CompanyClaim) ?? throw new InvalidOperationException("Not signed in to the console.");
    public string Email => User.FindFirstValue(ClaimTypes.Email) ?? "";
    public bool IsAdmin => User.IsInRole(ConsoleRoles.Admin);
}
