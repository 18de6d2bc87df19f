namespace CareerRelay.Web.Features.Agencies;

/// <summary>The partner agency's side: support steps, introductions, placements, the redemption inbox — API and the /agency workspace.</summary>
public static class AgenciesFeature
{
    public static WebApplicationBuilder AddAgencies(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AgencyWork>();
        builder.Services.AddScoped<AgencyCandidates>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAgencies(this IEndpointRouteBuilder app)
    {
        AgencyEndpoints.Map(app);
        AgencyWorkspace.Map(app);
        return app;
    }
}
