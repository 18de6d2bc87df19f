namespace CareerRelay.Web.Features.Alumni;

/// <summary>
/// アルムナイ: a company's former employees join its alumni network through a link (/a/{token}), share what they choose, and come
/// back as hires, contractors or referrers — the company's console and API, the public pages, the person's /me.
/// </summary>
public static class AlumniFeature
{
    public static WebApplicationBuilder AddAlumni(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<JoinAlumni>();
        builder.Services.AddScoped<ManageAlumni>();
        builder.Services.AddScoped<LeaveAlumni>();
        builder.Services.AddScoped<AlumniKpis>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAlumni(this IEndpointRouteBuilder app)
    {
        AlumniEndpoints.Map(app);
        AlumniPages.Map(app);
        ConsoleAlumni.Map(app);
        return app;
    }
}
