namespace CareerRelay.Web.Features.Referrals;

/// <summary>Inbound referrals (employees, alumni, schools): the public /ref pages and the console's programme pages.</summary>
public static class ReferralsFeature
{
    public static WebApplicationBuilder AddReferrals(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ManageReferrals>();
        builder.Services.AddScoped<ApplyByReferral>();
        builder.Services.AddScoped<ShowReferrerStatus>();
        return builder;
    }

    public static IEndpointRouteBuilder MapReferrals(this IEndpointRouteBuilder app)
    {
        ReferralPages.Map(app);
        ConsoleReferrals.Map(app);
        return app;
    }
}
