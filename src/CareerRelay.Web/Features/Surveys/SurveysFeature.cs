namespace CareerRelay.Web.Features.Surveys;

/// <summary>The one-question satisfaction survey: scheduled at verification, sent by <see cref="SurveySender"/>, answered at /survey.</summary>
public static class SurveysFeature
{
    public static WebApplicationBuilder AddSurveys(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SatisfactionSurveys>();
        builder.Services.AddSingleton<SurveySender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SurveySender>());
        return builder;
    }

    public static IEndpointRouteBuilder MapSurveys(this IEndpointRouteBuilder app)
    {
        SurveyEndpoints.Map(app);
        return app;
    }
}
