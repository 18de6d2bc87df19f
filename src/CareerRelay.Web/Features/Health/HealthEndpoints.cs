using CareerRelay.Web.Data;

namespace CareerRelay.Web.Features.Health;

public static class HealthEndpoints
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
