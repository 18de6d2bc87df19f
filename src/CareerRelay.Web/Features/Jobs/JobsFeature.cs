namespace CareerRelay.Web.Features.Jobs;

/// <summary>A company's job postings (API; the console's job pages use the same <see cref="JobActions"/>).</summary>
public static class JobsFeature
{
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<JobActions>();
        return builder;
    }

    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        JobEndpoints.Map(app);
        return app;
    }
}
