namespace CareerRelay.Web.Features.Registrations;

/// <summary>
/// The relay itself: the landing page and form (/r/{token}), registration through the group-commit writer, verification
/// (/verify/{code}) and qualification, and the public registration API.
/// </summary>
public static class RegistrationsFeature
{
    public static WebApplicationBuilder AddRegistrations(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RelayOptions>().BindConfiguration("Relay").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RegistrationWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RegistrationWriter>());
        // Stateless over singletons: one instance, so a registration does not open the request's service scope for it.
        builder.Services.AddSingleton<RegisterCandidate>();
        builder.Services.AddScoped<VerifyRegistration>();
        builder.Services.AddScoped<QualifyRegistration>();
        builder.Services.AddScoped<ReferralDecisions>();
        builder.Services.AddSingleton<RegistrationCounters>();
        // The busiest request's body and answer through the source generator's metadata, not reflection's; every other type
        // still falls through to the default resolver. Same names and rules (the web defaults).
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RegistrationJson.Default));
        return builder;
    }

    public static IEndpointRouteBuilder MapRegistrations(this IEndpointRouteBuilder app)
    {
        PublicEndpoints.Map(app);
        return app;
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(RegistrationRequest))]
[System.Text.Json.Serialization.JsonSerializable(typeof(RegistrationAccepted))]
internal sealed partial class RegistrationJson : System.Text.Json.Serialization.JsonSerializerContext;
