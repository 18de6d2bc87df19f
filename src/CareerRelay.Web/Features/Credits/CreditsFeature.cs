namespace CareerRelay.Web.Features.Credits;

/// <summary>The slot ledger (atomic SQL counters, business keys), its verifier, the company's ledger API and the folding of pending registration counts.</summary>
public static class CreditsFeature
{
    public static WebApplicationBuilder AddCredits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SlotRules>().BindConfiguration("Relay").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SlotLedger>();
        builder.Services.AddSingleton<RegistrationCountFolder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RegistrationCountFolder>());
        return builder;
    }

    public static IEndpointRouteBuilder MapCredits(this IEndpointRouteBuilder app)
    {
        LedgerEndpoints.Map(app);
        return app;
    }
}
