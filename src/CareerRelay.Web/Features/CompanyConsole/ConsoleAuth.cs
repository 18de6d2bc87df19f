using System.Security.Claims;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>
/// The console's session (a <see cref="SessionCookies"/> cookie, SameSite=Lax), ended at once when the person
/// is removed or their role changes, and the anti-forgery setup every form of the site uses. The tenant comes
/// from the signed-in user's claims only.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "Console";
    public const string Policy = "console";
    public const string AdminPolicy = "console-admin";
    public const string CompanyClaim = "company";
    public const string AgencyClaim = "agency";
    /// <summary>The agency workspace (/agency): agency users of any role.</summary>
    public const string AgencyPolicy = "agency-workspace";
    /// <summary>Any signed-in person of a company or an agency (their own sign-in security).</summary>
    public const string AnyTenantPolicy = "tenant-user";
    /// <summary>Agency admins: user management in the workspace.</summary>
    public const string AgencyAdminPolicy = "agency-admin";

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
        builder.Services.AddAuthentication().AddSessionCookie(builder.Services, Scheme, "cr_console", "/signin", SameSiteMode.Lax,
            // A removed person, or one whose role changed, is out at their next request, not when the cookie runs out.
            (db, user, ct) =>
            {
                var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
                var role = user.FindFirstValue(ClaimTypes.Role);
                return db.TenantUsers.AnyAsync(u => u.Id == userId && u.Role == role && u.DisabledAt == null, ct);
            },
            o => o.AccessDeniedPath = "/signin/landing");
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(CompanyClaim))
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(CompanyClaim).RequireRole(ConsoleRoles.Admin))
            .AddPolicy(AgencyPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(AgencyClaim))
            .AddPolicy(AnyTenantPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAssertion(c => c.User.HasClaim(x => x.Type is CompanyClaim or AgencyClaim)))
            .AddPolicy(AgencyAdminPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(AgencyClaim).RequireRole(ConsoleRoles.Admin));
        builder.Services.AddScoped<ConsoleUser>();
        return builder;
    }

    public static ClaimsPrincipal PrincipalFor(TenantUser user, DateTimeOffset now) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Email, user.Email),
            new Claim(ClaimTypes.Role, user.Role),
            // The tenant claim says which side the person works for; company pages require one, agency pages the other.
            new Claim(user.TenantType == TenantTypes.Agency ? AgencyClaim : CompanyClaim, user.TenantId),
            SessionCookies.SignedInAt(now),
        ], Scheme));
}

/// <summary>The signed-in console user, read once from the cookie's claims.</summary>
public sealed class ConsoleUser(IHttpContextAccessor accessor)
{
    private ClaimsPrincipal User => accessor.HttpContext?.User ?? new ClaimsPrincipal();
    public string Id => User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in to the console.");
    public string CompanyId => User.FindFirstValue(ConsoleAuth.CompanyClaim) ?? throw new InvalidOperationException("Not signed in to the console.");
    public string AgencyId => User.FindFirstValue(ConsoleAuth.AgencyClaim) ?? throw new InvalidOperationException("Not signed in to the agency workspace.");
    public bool IsAgencyUser => User.HasClaim(c => c.Type == ConsoleAuth.AgencyClaim);
    public string TenantType => IsAgencyUser ? TenantTypes.Agency : TenantTypes.Company;
    public string TenantId => IsAgencyUser ? AgencyId : CompanyId;
    public string Email => User.FindFirstValue(ClaimTypes.Email) ?? "";
    public bool IsAdmin => User.IsInRole(ConsoleRoles.Admin);
}
