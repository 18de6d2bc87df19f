namespace CareerRelay.Web.Features.Retention;

/// <summary>
/// After the placement (定着): follow-ups at 1, 3 and 6 months, the free-hire guarantee that gives a slot back for an early
/// leave, and the agency's legal figures — API, workspace pages, the person's "still working there?" page, the public figures.
/// </summary>
public static class RetentionFeature
{
    public static WebApplicationBuilder AddRetention(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionRules>().BindConfiguration("Relay").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<RecordFollowUp>();
        builder.Services.AddScoped<SetRefundRule>();
        builder.Services.AddScoped<ShowPlacement>();
        builder.Services.AddScoped<PlacedPeople>();
        builder.Services.AddScoped<AgencyDisclosures>();
        builder.Services.AddScoped<RetentionKpis>();
        builder.Services.AddScoped<RetentionChecks>();
        builder.Services.AddSingleton<RetentionCheckJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RetentionCheckJob>());
        return builder;
    }

    public static IEndpointRouteBuilder MapRetention(this IEndpointRouteBuilder app)
    {
        RetentionEndpoints.Map(app);
        RetentionWorkspace.Map(app);
        RetentionPublicPages.Map(app);
        return app;
    }
}
