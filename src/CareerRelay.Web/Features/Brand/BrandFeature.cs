namespace CareerRelay.Web.Features.Brand;

/// <summary>
/// 採用ブランディング: a company's public page (/c/{slug}) showing it treats rejected people well, the badge for its career site and
/// mail signature, the directory of participating companies (/companies) — and the profile behind them (API and console).
/// </summary>
public static class BrandFeature
{
    public static WebApplicationBuilder AddBrand(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PublicProfiles>();
        builder.Services.AddScoped<SetCompanyProfile>();
        return builder;
    }

    public static IEndpointRouteBuilder MapBrand(this IEndpointRouteBuilder app)
    {
        BrandEndpoints.Map(app);
        BrandPages.Map(app);
        ConsoleBrand.Map(app);
        return app;
    }
}
