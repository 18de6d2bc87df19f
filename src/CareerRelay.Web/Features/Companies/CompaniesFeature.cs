namespace CareerRelay.Web.Features.Companies;

/// <summary>A company's figures: partner agencies, the summary, activity, the network view and consortia (API and /console/network).</summary>
public static class CompaniesFeature
{
    public static WebApplicationBuilder AddCompanies(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CompanySummaries>();
        builder.Services.AddScoped<PartnerContribution>();
        builder.Services.AddScoped<Consortia>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCompanies(this IEndpointRouteBuilder app)
    {
        CompanyEndpoints.Map(app);
        NetworkEndpoints.Map(app);
        return app;
    }
}
