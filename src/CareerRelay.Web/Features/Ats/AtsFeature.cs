namespace CareerRelay.Web.Features.Ats;

/// <summary>ATS intake: events, Greenhouse and Lever connections, CSV imports, entrusted mail — API and the console's integration pages.</summary>
public static class AtsFeature
{
    public static WebApplicationBuilder AddAts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().BindConfiguration("Imports").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RejectionImport>();
        builder.Services.AddScoped<RejectionIntake>();
        builder.Services.AddScoped<AtsConnections>();
        builder.Services.AddSingleton<EntrustedRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EntrustedRetention>());
        return builder;
    }

    public static IEndpointRouteBuilder MapAts(this IEndpointRouteBuilder app)
    {
        AtsEndpoints.Map(app);
        ConsoleIntegrations.Map(app);
        return app;
    }
}
