using CareerRelay.Web.Data;

namespace CareerRelay.Web.Features.Health;

/// <summary>/healthz (ready: the database answers) and /healthz/live (the process answers).</summary>
public static class HealthFeature
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // Liveness: the process answers; no database involved.
        app.MapGet("/healthz/live", () => TypedResults.Text("ok")).ExcludeFromDescription();
        // Readiness: the database answers too.
        app.MapGet("/healthz", async (CareerRelayDb db, CancellationToken ct) =>
        {
            try
            {
                return await db.Database.CanConnectAsync(ct)
                    ? Results.Text("ok")
                    : Results.Text("database unavailable", statusCode: 503);
            }
            catch (Exception)
            {
                return Results.Text("database unavailable", statusCode: 503);
            }
        }).ExcludeFromDescription();
        return app;
    }
}
