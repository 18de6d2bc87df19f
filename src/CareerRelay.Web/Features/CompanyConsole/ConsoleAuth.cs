using System.Security.Claims;
using CareerRelay.Web.Data;
using CareerRelay.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;

namespace CareerRelay.Web.Features.CompanyConsole;

/// <summary>
/// The console's session: its scheme, policies and claims (set up in <see cref="CompanyConsoleFeature"/>). The tenant comes
/// from the signed-in user's claims only.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "Console";
    public const string Policy = "console";
    public const string AdminPolicy = "console-admin";
    public const string CompanyClaim = "company";
    public const string AgencyClaim = "agency";
    public const string SchoolClaim = "school";
    public const string ProviderClaim = "provider";
    /// <summary>The school workspace (/school).</summary>
    public const string SchoolPolicy = "school-workspace";
    /// <summary>The training provider workspace (/provider).</summary>
    public const string ProviderPolicy = "provider-workspace";
    public const string SchoolAdminPolicy = "school-admin";
    public const string ProviderAdminPolicy = "provider-admin";
    /// <summary>The agency workspace (/agency): agency users of any role.</summary>
    public const string AgencyPolicy = "agency-workspace";
    /// <summary>Any signed-in person of a tenant (their own sign-in security).</summary>
    public const string AnyTenantPolicy = "tenant-user";
    /// <summary>Agency admins: user management in the workspace.</summary>
    public const string AgencyAdminPolicy = "agency-admin";

    public static ClaimsPrincipal PrincipalFor(TenantUser user, DateTimeOffset now) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Email, user.Email),
            new Claim(ClaimTypes.Role, user.Role),
            // The tenant claim says which side the person works for (its type is the tenant type: company, agency, school,
            // provider); each area's pages require their own.
            new Claim(TenantTypes.All.Contains(user.TenantType) ? user.TenantType : CompanyClaim, user.TenantId),
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
    public string SchoolId => User.FindFirstValue(ConsoleAuth.SchoolClaim) ?? throw new InvalidOperationException("Not signed in to a school workspace.");
    public string ProviderId => User.FindFirstValue(ConsoleAuth.ProviderClaim) ?? throw new InvalidOperationException("Not signed in to a provider workspace.");
    public bool IsAgencyUser => User.HasClaim(c => c.Type == ConsoleAuth.AgencyClaim);
    /// <summary>Which side the person works for: the type of the tenant claim they carry.</summary>
    public string TenantType => TenantTypes.All.FirstOrDefault(t => User.HasClaim(c => c.Type == t)) ?? TenantTypes.Company;
    public string TenantId => User.FindFirstValue(TenantType) ?? throw new InvalidOperationException("Not signed in to the console.");
    public string Email => User.FindFirstValue(ClaimTypes.Email) ?? "";
    public bool IsAdmin => User.IsInRole(ConsoleRoles.Admin);
}
