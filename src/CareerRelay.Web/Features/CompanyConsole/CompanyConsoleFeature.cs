using System.Security.Claims;
using CareerRelay.Web.Infrastructure.Auth;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Antiforgery;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>
/// The company console (/signin, /console) and the session it shares with the agency workspace: a <see cref="SessionCookies"/>
/// cookie ended at once when the person is removed or their role changes, and the anti-forgery setup every form of the site uses.
/// </summary>
public static class CompanyConsoleFeature
{
    public static WebApplicationBuilder AddCompanyConsole(this WebApplicationBuilder builder)
    {
        // Cookie and anti-forgery keys live in the database: they survive restarts and every node shares them.
        builder.Services.AddDataProtectionInDatabase();
        builder.Services.AddAntiforgery(o => o.FormFieldName = "__af");
        // Cookie names and the Secure flag follow the public address, known only once the server listens.
        builder.Services.AddOptions<AntiforgeryOptions>().PostConfigure<PublicUrls>((o, urls) =>
        {
            o.Cookie.Name = SessionCookies.CookieName("cr_af", urls);
            // SameAsRequest, not Always: antiforgery throws (a 500) on a plain-http request under Always — a health probe
            // or a proxy whose X-Forwarded-Proto is not trusted. Over https (or a trusted proxy's https) the cookie is Secure
            // anyway, and a __Host- cookie without Secure is refused by browsers: such a form answers "expired", never 500.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddAuthentication().AddSessionCookie(builder.Services, ConsoleAuth.Scheme, "cr_console", "/signin", SameSiteMode.Lax,
            // A removed person, or one whose role changed, is out at their next request, not when the cookie runs out.
            (db, user, ct) =>
            {
                var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
                var role = user.FindFirstValue(ClaimTypes.Role);
                return db.TenantUsers.AnyAsync(u => u.Id == userId && u.Role == role && u.DisabledAt == null, ct);
            },
            o => o.AccessDeniedPath = "/signin/landing");
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ConsoleAuth.Policy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireClaim(ConsoleAuth.CompanyClaim))
            .AddPolicy(ConsoleAuth.AdminPolicy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireClaim(ConsoleAuth.CompanyClaim).RequireRole(ConsoleRoles.Admin))
            .AddPolicy(ConsoleAuth.AgencyPolicy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireClaim(ConsoleAuth.AgencyClaim))
            .AddPolicy(ConsoleAuth.SchoolPolicy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireClaim(ConsoleAuth.SchoolClaim))
            .AddPolicy(ConsoleAuth.ProviderPolicy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireClaim(ConsoleAuth.ProviderClaim))
            .AddPolicy(ConsoleAuth.SchoolAdminPolicy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireClaim(ConsoleAuth.SchoolClaim).RequireRole(ConsoleRoles.Admin))
            .AddPolicy(ConsoleAuth.ProviderAdminPolicy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireClaim(ConsoleAuth.ProviderClaim).RequireRole(ConsoleRoles.Admin))
            .AddPolicy(ConsoleAuth.AnyTenantPolicy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAssertion(c => c.User.HasClaim(x => TenantTypes.All.Contains(x.Type))))
            .AddPolicy(ConsoleAuth.AgencyAdminPolicy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireClaim(ConsoleAuth.AgencyClaim).RequireRole(ConsoleRoles.Admin));
        builder.Services.AddScoped<ConsoleUser>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCompanyConsole(this IEndpointRouteBuilder app)
    {
        ConsoleEndpoints.Map(app);
        return app;
    }
}
