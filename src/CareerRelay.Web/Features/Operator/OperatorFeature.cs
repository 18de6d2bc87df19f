using System.Security.Claims;
using CareerRelay.Web.Features.Tenants;
using CareerRelay.Web.Infrastructure.Auth;

namespace CareerRelay.Web.Features.Operator;

/// <summary>The operator: the admin API (/api/v1/admin) and the pages under /operator and /admin, signed in with an operator key.</summary>
public static class OperatorFeature
{
    public static WebApplicationBuilder AddOperator(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<OperatorRecords>();
        builder.Services.AddScoped<NetworkFlows>();
        builder.Services.AddScoped<ReviewDesk>();
        builder.Services.AddSingleton<LedgerVerifier>();
        builder.Services.AddAuthentication().AddSessionCookie(builder.Services, OperatorConsole.Scheme, "cr_operator", "/operator/signin", SameSiteMode.Strict,
            (db, user, ct) =>
            {
                var keyId = user.FindFirstValue(OperatorConsole.KeyClaim);
                return db.ApiKeys.AnyAsync(k => k.Id == keyId && k.Role == Roles.Operator && k.RevokedAt == null, ct); // revoking the key ends it
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(OperatorConsole.Policy, p => p.AddAuthenticationSchemes(OperatorConsole.Scheme).RequireClaim(OperatorConsole.KeyClaim));
        return builder;
    }

    public static IEndpointRouteBuilder MapOperator(this IEndpointRouteBuilder app)
    {
        OperatorEndpoints.Map(app);
        OperatorConsole.Map(app);
        HoldsDeskPages.Map(app);
        return app;
    }
}
