namespace CareerRelay.Web.Features.Education;

/// <summary>
/// 教育機関パートナー・リスキリング: schools and training providers as tenants. Schools see their graduates' outcomes (figures from five
/// people; names only by the person's choice, never for high schools); providers publish courses that /me suggests for the skills a
/// person's recommended jobs ask and they lack; a completion the person confirms becomes a skill agencies and matching see.
/// </summary>
public static class EducationFeature
{
    public static WebApplicationBuilder AddEducation(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PartnerSchools>();
        builder.Services.AddScoped<EducationPartners>();
        builder.Services.AddScoped<SchoolOutcomes>();
        builder.Services.AddScoped<ProviderWork>();
        builder.Services.AddScoped<MyEducation>();
        builder.Services.AddScoped<EducationKpis>();
        return builder;
    }

    public static IEndpointRouteBuilder MapEducation(this IEndpointRouteBuilder app)
    {
        EducationEndpoints.Map(app);
        EducationWorkspace.Map(app);
        MeEducationPages.Map(app);
        return app;
    }
}
