using System.Security.Claims;
using System.Text.Encodings.Web;
using CareerRelay.Web.Data;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CareerRelay.Web.Infrastructure.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c>. The key's hash finds its tenant and role; nothing in the
/// request body or route can choose the tenant. Unknown key → 401 <c>unauthorized</c>; a key of the
/// wrong role → 403 <c>forbidden</c>.
/// It runs for requests with an <c>Authorization</c> header (<see cref="ApiKeyAuthenticationSetup.UseApiKeyAuthentication"/>)
/// and to challenge or forbid; it takes the database context only when there is a key to look up (issue 23's profile).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IMemoryCache cache, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string TenantClaim = "tenant";
    public const string ScopeClaim = "scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var key = header["Bearer ".Length..].Trim();
        if (!SecretTokens.LooksValid(key, 200)) return AuthenticateResult.Fail("Malformed key.");

        var hash = SecretTokens.Hash(key);
        var db = Context.RequestServices.GetRequiredService<CareerRelayDb>();
        // A short cache keeps the key lookup off the hot path; revocation takes effect within the minute.
        var found = await cache.GetOrCreateAsync($"apikey:{hash}", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30);
            return await db.ApiKeys.AsNoTracking()
                .Where(k => k.KeyHash == hash && k.RevokedAt == null)
                .Select(k => new { k.Role, k.TenantId, k.Id, k.Scope, k.ExpiresAt })
                .FirstOrDefaultAsync(Context.RequestAborted);
        });
        // A rotated key works until its grace period ends, checked on every request (the cache may be older).
        if (found is null || found.ExpiresAt <= clock.GetUtcNow().UtcDateTime) return AuthenticateResult.Fail("Unknown key.");
        await NoteUseAsync(db, found.Id);

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Role, found.Role), new Claim(TenantClaim, found.TenantId), new Claim(ClaimTypes.NameIdentifier, found.Id),
             new Claim(ScopeClaim, found.Scope)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>"Last used" for the keys page: one write per key per minute at most, never on every request.</summary>
    private async Task NoteUseAsync(CareerRelayDb db, string keyId)
    {
        if (cache.TryGetValue($"apikey-used:{keyId}", out _)) return;
        cache.Set($"apikey-used:{keyId}", true, TimeSpan.FromMinutes(1));
        var now = clock.GetUtcNow().UtcDateTime;
        await Context.RequestServices.GetRequiredService<DbWriteGate>().RunAsync(db, token => db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), token),
            Context.RequestAborted);
    }

    /// <summary>Forgets a key's cached lookup, so a revoked key stops working at once on this node.</summary>
    public static void Forget(IMemoryCache cache, string keyHash) => cache.Remove($"apikey:{keyHash}");

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ProblemHandling.WriteAsync(Context, new ApiError(401, ProblemCodes.Unauthorized, "Unauthorized",
            "Send a valid API key as 'Authorization: Bearer <key>'."));

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemHandling.WriteAsync(Context, new ApiError(403, ProblemCodes.Forbidden, "Forbidden",
            ApiKeyAuthenticationSetup.MayWrite(Context) ? "This API key's role may not use this route."
                : "This API key is read-only; use a key with the write scope for this request."));
}

/// <summary>The caller's tenant, read once from the authenticated key.</summary>
public sealed class CurrentTenant(IHttpContextAccessor accessor)
{
    private ClaimsPrincipal User => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public string Id => User.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim)
        ?? throw new InvalidOperationException("No authenticated tenant on this request.");

    public string Role => User.FindFirstValue(ClaimTypes.Role) ?? "";

    public string KeyId => User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
}

public static class ApiKeyAuthenticationSetup
{
    public const string OperatorPolicy = "operator";
    public const string CompanyPolicy = "company";
    public const string AgencyPolicy = "agency";
    public const string SchoolPolicy = "school";
    public const string ProviderPolicy = "provider";

    /// <summary>
    /// Authentication for requests that carry an <c>Authorization</c> header. The API key is the default scheme and the
    /// only one read from every request; without the header it can only answer "no result", so pages, /healthz and the
    /// public API skip building its handler (the largest part of what our middleware cost every request, issue 23, P0).
    /// The session cookies of the consoles are authenticated by their own policies, which name their scheme.
    /// </summary>
    public static IApplicationBuilder UseApiKeyAuthentication(this IApplicationBuilder app)
    {
        app.UseWhen(http => http.Request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization), branch => branch.UseAuthentication());
        // WebApplication adds UseAuthentication in front of everything unless the app called it; the branch's call marks
        // only the branch's copy of the properties, so the mark is copied here. Should the framework rename it, the
        // authentication runs twice for a keyed request and once for the others — slower, never less checked.
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        return app;
    }

    /// <summary>The property WebApplicationBuilder looks for before adding authentication by itself (ASP.NET Core's own name).</summary>
    internal const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    /// <summary>
    /// Authorization for the routes that ask for it (a policy, a role, <c>RequireAuthorization</c>). With no fallback policy —
    /// every protected route names its own — ASP.NET Core's middleware passes any other route straight on, but only after
    /// an async step and an <c>Items</c> entry on every request (issue 23: ~1.5 µs of a registration). Routes without such
    /// metadata skip it, which changes no answer; a route with metadata that reached its handler without it would fail
    /// closed (the endpoint middleware throws). Should a fallback policy ever be set, every request goes through it again.
    /// </summary>
    public static IApplicationBuilder UseEndpointAuthorization(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy is not null)
            return app.UseAuthorization();
        app.UseWhen(AsksForAuthorization, branch => branch.UseAuthorization());
        app.Properties[AuthorizationMiddlewareSetKey] = true; // as for authentication above
        return app;
    }

    internal static bool AsksForAuthorization(HttpContext http) => http.GetEndpoint()?.Metadata is { } metadata
        && (metadata.GetMetadata<IAuthorizeData>() is not null || metadata.GetMetadata<AuthorizationPolicy>() is not null
            || metadata.GetMetadata<IAuthorizationRequirementData>() is not null);

    /// <summary>The property WebApplicationBuilder looks for before adding authorization by itself (ASP.NET Core's own name).</summary>
    internal const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentTenant>();
        services.AddScoped<KeyManagement>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, p => RoleWithScope(p, Roles.Operator))
            .AddPolicy(CompanyPolicy, p => RoleWithScope(p, Roles.Company))
            .AddPolicy(AgencyPolicy, p => RoleWithScope(p, Roles.Agency))
            .AddPolicy(SchoolPolicy, p => RoleWithScope(p, Roles.School))
            .AddPolicy(ProviderPolicy, p => RoleWithScope(p, Roles.Provider));
        return services;
    }

    private static void RoleWithScope(AuthorizationPolicyBuilder policy, string role) =>
        policy.RequireRole(role).RequireAssertion(c => MayWrite(c.Resource as HttpContext));

    /// <summary>A read-scoped key may only read (GET, HEAD); every other method needs the write scope.</summary>
    public static bool MayWrite(HttpContext? http) =>
        http is null || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
        || http.User.FindFirstValue(ApiKeyAuthenticationHandler.ScopeClaim) != KeyScopes.Read;
}
