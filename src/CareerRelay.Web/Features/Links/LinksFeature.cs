namespace CareerRelay.Web.Features.Links;

/// <summary>Relay links and invitations: the cached token lookups behind /r/{token}, the click counter and the company's link API.</summary>
public static class LinksFeature
{
    public static WebApplicationBuilder AddLinks(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RelayEntries>();
        builder.Services.AddSingleton<ClickCounter>();
        builder.Services.AddSingleton<ClickFlusher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClickFlusher>());
        builder.Services.AddScoped<LinkActions>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLinks(this IEndpointRouteBuilder app)
    {
        LinkEndpoints.Map(app);
        return app;
    }
}
