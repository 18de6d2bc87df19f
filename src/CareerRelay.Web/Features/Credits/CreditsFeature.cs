namespace CareerRelay.Web.Features.Credits;

/// <summary>The slot ledger (atomic SQL counters, business keys), its verifier and the company's ledger API.</summary>
public static class CreditsFeature
{
    public static WebApplicationBuilder AddCredits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SlotRules>().BindConfiguration("Relay").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SlotLedger>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCredits(this IEndpointRouteBuilder app)
    {
        LedgerEndpoints.Map(app);
        return app;
    }
}
