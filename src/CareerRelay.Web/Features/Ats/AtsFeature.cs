namespace CareerRelay.Web.Features.Ats;

public static class AtsFeature
{
    /// <summary>ATS intake (events, Greenhouse and Lever connections, CSV imports) and the entrusted mail it sends.</summary>
    public static WebApplicationBuilder AddAts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().BindConfiguration("Imports");
        builder.Services.AddSingleton<RejectionImport>();
        builder.Services.AddScoped<RejectionIntake>();
        builder.Services.AddScoped<AtsConnections>();
        builder.Services.AddSingleton<EntrustedRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EntrustedRetention>());
        return builder;
    }
}
