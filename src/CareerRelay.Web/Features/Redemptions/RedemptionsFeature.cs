namespace CareerRelay.Web.Features.Redemptions;

/// <summary>Spending a free hire slot on a job and giving it back (API; the console uses the same <see cref="RedemptionActions"/>).</summary>
public static class RedemptionsFeature
{
    public static WebApplicationBuilder AddRedemptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RedemptionActions>();
        return builder;
    }

    public static IEndpointRouteBuilder MapRedemptions(this IEndpointRouteBuilder app)
    {
        RedemptionEndpoints.Map(app);
        return app;
    }
}
