namespace CareerRelay.Web.Features.Experiments;

/// <summary>不採用メールのA/Bテスト: which wording of the rejection mail brings more people to register (API and console page).</summary>
public static class ExperimentsFeature
{
    public static WebApplicationBuilder AddExperiments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExperimentOptions>().BindConfiguration("Experiments").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<ManageExperiments>();
        return builder;
    }

    public static IEndpointRouteBuilder MapExperiments(this IEndpointRouteBuilder app)
    {
        ExperimentEndpoints.Map(app);
        ConsoleExperiments.Map(app);
        return app;
    }
}
