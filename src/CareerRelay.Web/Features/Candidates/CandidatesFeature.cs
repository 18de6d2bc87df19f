using System.Security.Claims;
using CareerRelay.Web.Infrastructure.Auth;

namespace CareerRelay.Web.Features.Candidates;

/// <summary>The person's own side: the sealed profile and its keys, /me (sign-in links, session, their rights) and opt-in mail.</summary>
public static class CandidatesFeature
{
    /// <summary>The /me session: its own cookie, 30 minutes idle, 12 hours at most, and gone the moment the person is erased.</summary>
    public static WebApplicationBuilder AddCandidates(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CandidateVault>();
        builder.Services.AddScoped<CandidateAccess>();
        builder.Services.AddScoped<ShowCandidateData>();
        builder.Services.AddScoped<UpdateCandidateProfile>();
        builder.Services.AddScoped<SaveResume>();
        builder.Services.AddScoped<GiveConsent>();
        builder.Services.AddScoped<WithdrawConsent>();
        builder.Services.AddScoped<RenewConsents>();
        builder.Services.AddScoped<DecideIntroduction>();
        builder.Services.AddScoped<ExportCandidateData>();
        builder.Services.AddScoped<EraseCandidate>();
        builder.Services.AddScoped<CandidateMailing>();
        builder.Services.AddScoped<PersonNotices>();
        builder.Services.AddScoped<Reapplications>();
        builder.Services.AddAuthentication().AddSessionCookie(builder.Services, CandidateAccess.Scheme, "cr_me", "/me", SameSiteMode.Lax,
            (db, user, ct) =>
            {
                var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
                return db.Candidates.AnyAsync(c => c.Id == id, ct); // erasure ends the session
            },
            o => o.Events.OnRedirectToLogin = context => { context.Response.Redirect("/me"); return Task.CompletedTask; });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CandidateAccess.Policy, p => p.AddAuthenticationSchemes(CandidateAccess.Scheme).RequireClaim(ClaimTypes.NameIdentifier));
        return builder;
    }

    public static IEndpointRouteBuilder MapCandidates(this IEndpointRouteBuilder app)
    {
        MeEndpoints.Map(app);
        return app;
    }
}
